/**
 * The S3 client every utility takes (`S3ClientLike`), and the one default
 * client of a container, made on first use through a dynamic import of
 * `@aws-sdk/client-s3`: importing the library, and every invocation that never
 * reaches S3, loads no part of the SDK.
 *
 * @module s3/client
 */
import type { S3Client } from '@aws-sdk/client-s3';

/**
 * The S3 client the options take: what the library calls on one (`send`, and
 * the `config` and `middlewareStack` that `@aws-sdk/lib-storage` and
 * `@aws-sdk/s3-request-presigner` read). Structural on purpose: an `S3Client`
 * from any copy or version of `@aws-sdk/client-s3` v3 fits, where the class type
 * would not (two copies of `@smithy/core` make two unrelated `S3Client` types).
 */
export interface S3ClientLike {
  /** Sends a command (`PutObject`, `HeadObject`, `GetObject`, the multipart commands). */
  send(command: unknown, options?: unknown): Promise<unknown>;
  /** The client's resolved configuration (region, endpoint, credentials), read by the presigner and `lib-storage`. */
  readonly config: object;
  /** The client's middleware stack, read by the presigner. */
  readonly middlewareStack: object;
}

/**
 * An `S3ClientLike` as this copy's `S3Client` type: it is an `S3Client` of some
 * v3 copy, which works with this copy's commands, `lib-storage` and presigner.
 */
export function asS3Client(client: S3ClientLike): S3Client {
  return client as unknown as S3Client;
}

/** Why a value cannot be an S3 client, or `undefined`. */
export function s3ClientProblem(value: unknown): string | undefined {
  return typeof (value as { send?: unknown } | null | undefined)?.send === 'function' ? undefined : 'must be an S3Client';
}

let defaultClient: Promise<S3Client> | undefined;
let defaultClientsCreated = 0;

/**
 * The S3 client shared by every utility that was given none: created on first
 * use (the SDK is imported then), and reused for the life of the container
 * (one client, one credential resolution).
 */
export function defaultS3Client(): Promise<S3Client> {
  defaultClient ??= import('@aws-sdk/client-s3').then(({ S3Client: Client }) => {
    defaultClientsCreated++;
    return new Client({});
  });
  return defaultClient;
}

/** The option's client, or the container's default client. */
export async function clientOrDefault(client: S3ClientLike | undefined): Promise<S3Client> {
  return client === undefined ? defaultS3Client() : asS3Client(client);
}

/** How many default clients this process created (1 after any number of uses). */
export function defaultS3ClientsCreated(): number {
  return defaultClientsCreated;
}
