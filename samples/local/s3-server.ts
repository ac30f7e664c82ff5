/**
 * An S3-compatible server on loopback (s3rver 3.7), for the demo, the
 * integration tests and the benchmark. No AWS account, nothing leaves the machine.
 *
 * s3rver does not verify SigV4 signatures, and stores a streamed PutObject with
 * its aws-chunked framing unless the client sends checksums only when required
 * (see shared FACTS.md): the client made here sets that. Real S3 needs neither.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { LOCAL_BUCKET_CORS } from 'lambda-s3-spill/dev';

/** A running local S3 and a client for it. */
export interface LocalS3 {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** The bucket created at start. */
  readonly bucket: string;
  /** A client configured for this server. */
  readonly client: S3Client;
  /** Make another client for this server (fresh sockets, fresh credential cache). */
  newClient(): S3Client;
  /** Stop the server and delete its files. */
  stop(): Promise<void>;
}


/** What `startLocalS3` can be asked for. */
export interface LocalS3Options {
  /**
   * Use `@20minutes/s3rver` 5, which verifies SigV4 signatures (a tampered or
   * expired URL answers 403), instead of s3rver 3.7, which does not.
   */
  readonly verifySignatures?: boolean;
  /** More buckets to create (a bucket per tenant, say). */
  readonly extraBuckets?: readonly string[];
  /** The buckets' CORS configuration (XML), instead of GET/HEAD from any origin (browser uploads need POST). */
  readonly corsXml?: string;
}

type Server = { run(): Promise<AddressInfo>; close(): Promise<void> };

/**
 * Start a local S3 on 127.0.0.1 with a random port and one bucket (made with
 * `configureBuckets`: the signature-verifying server rejects the SDK's CreateBucket path).
 *
 * @param bucket - the bucket to create
 */
export async function startLocalS3(bucket = 'spill-bucket', options: LocalS3Options = {}): Promise<LocalS3> {
  const directory = await mkdtemp(join(tmpdir(), 's3rver-'));
  const settings = {
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    // stop() deletes the folder; the servers' own reset is not wanted: @20minutes/s3rver's calls
    // fs.rmdirSync(path, { recursive: true }), deprecated (DEP0147), which prints a warning.
    resetOnClose: false,
    configureBuckets: [bucket, ...(options.extraBuckets ?? [])].map((name) => ({ name, configs: [options.corsXml ?? LOCAL_BUCKET_CORS] })),
  };
  const server: Server = options.verifySignatures
    ? new (createRequire(import.meta.url)('@20minutes/s3rver') as new (settings: object) => Server)(settings)
    : new S3rver(settings);
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const clients: S3Client[] = [];
  const newClient = (): S3Client => {
    const client = localS3Client(endpoint);
    clients.push(client);
    return client;
  };
  const client = newClient();
  return {
    endpoint,
    bucket,
    client,
    newClient,
    async stop() {
      for (const c of clients) c.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * A client for a local S3 at `endpoint`: path-style addressing, the servers'
 * fixed credentials, and checksums only when required (s3rver 3.7 stores a
 * streamed body with its aws-chunked framing otherwise).
 */
export function localS3Client(endpoint: string): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}
