/** Shared rig of the offload tests: a recording S3 client and a Lambda context with a chosen time left. */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';

/** A command the client sent: its class name and input. */
export interface SentCommand {
  readonly name: string;
  readonly input: { Bucket?: string; Key?: string };
}

/** Record every command `client` sends (the client still sends them). */
export function recording(client: S3Client): { client: S3Client; sent: SentCommand[]; reads: () => SentCommand[] } {
  const sent: SentCommand[] = [];
  const send = client.send.bind(client) as (command: unknown, options?: unknown) => Promise<unknown>;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- forwards S3Client.send's overloads
  (client as any).send = (command: { constructor: { name: string }; input: SentCommand['input'] }, options?: unknown) => {
    sent.push({ name: command.constructor.name, input: command.input });
    return send(command, options);
  };
  return { client, sent, reads: () => sent.filter((c) => c.name === 'GetObjectCommand' || c.name === 'HeadObjectCommand') };
}

/** A Lambda context whose `getRemainingTimeInMillis()` counts down from `millis`. */
export function contextWithTimeLeft(millis: number): Context {
  const until = Date.now() + millis;
  return {
    awsRequestId: 'req-offload',
    functionName: 'offload-test',
    getRemainingTimeInMillis: () => until - Date.now(),
  } as unknown as Context;
}

/** A non-HTTP event, as an SDK `Invoke` or a Step Functions task sends it. */
export const invokeEvent = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({ job: 'report', ...extra });

/**
 * The environment that points the library's unchanged default S3 client at a
 * local S3 (the SDK's standard `AWS_ENDPOINT_URL_S3`), for running samples as
 * deployed; quiet default logger.
 */
export function localS3Environment(endpoint: string): Record<string, string> {
  return {
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
  };
}
