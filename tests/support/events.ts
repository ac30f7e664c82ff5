/** Minimal events of each front door, as the services send them (only the fields the middleware reads, plus a few). */
import type { Context } from 'aws-lambda';

export type EventKind = 'rest-v1' | 'http-v2' | 'function-url' | 'alb' | 'alb-multi-value';

export const EVENT_KINDS: EventKind[] = ['rest-v1', 'http-v2', 'function-url', 'alb', 'alb-multi-value'];

export function eventOf(kind: EventKind, method = 'GET'): Record<string, unknown> {
  switch (kind) {
    case 'rest-v1':
      return {
        resource: '/items',
        path: '/items',
        httpMethod: method,
        headers: {},
        multiValueHeaders: {},
        requestContext: { httpMethod: method, stage: 'prod', resourcePath: '/items' },
      };
    case 'http-v2':
      return {
        version: '2.0',
        rawPath: '/items',
        headers: {},
        requestContext: { domainName: 'abc.execute-api.us-east-1.amazonaws.com', http: { method, path: '/items' } },
      };
    case 'function-url':
      return {
        version: '2.0',
        rawPath: '/items',
        headers: {},
        requestContext: { domainName: 'abc.lambda-url.us-east-1.on.aws', http: { method, path: '/items' } },
      };
    case 'alb':
      return { requestContext: { elb: { targetGroupArn: 'arn' } }, httpMethod: method, path: '/items', headers: {} };
    case 'alb-multi-value':
      return { requestContext: { elb: { targetGroupArn: 'arn' } }, httpMethod: method, path: '/items', multiValueHeaders: {} };
  }
}

export const context = {
  awsRequestId: 'req-1',
  functionName: 'test',
  getRemainingTimeInMillis: () => 30_000,
} as unknown as Context;

/** A logger that records every call, to assert what was (and was not) logged. */
export function recordingLogger() {
  const lines: { level: string; args: unknown[] }[] = [];
  const record = (level: string) => (...args: unknown[]) => {
    lines.push({ level, args });
  };
  return {
    lines,
    /** The lines logged at `level`. */
    at: (level: 'debug' | 'info' | 'warn' | 'error') => lines.filter((line) => line.level === level),
    text: () => JSON.stringify(lines),
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
  };
}

/** The warnings a {@link recordingLogger} got, as `[message, nearLimit]`: what `warnAtBytes` logs. */
export function nearLimitWarnings(log: ReturnType<typeof recordingLogger>): unknown[][] {
  return log.at('warn').map((line) => [line.args[0], (line.args[1] as { nearLimit: object }).nearLimit]);
}
