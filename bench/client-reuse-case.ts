/**
 * 5. Client reuse, in a process of its own (a fresh "container"): 1,000
 * invocations that each spill a small body through the middleware's default
 * client, then invocations that each create their own client (the
 * django-s3-session-storage mistake), counting clients, credential
 * resolutions and TCP connections to S3.
 *
 * The default client is configured the way Lambda configures it, from the
 * environment: `AWS_ENDPOINT_URL_S3` (the local S3), `AWS_REGION`, and
 * credentials from the container credentials endpoint
 * (`AWS_CONTAINER_CREDENTIALS_FULL_URI`, the provider Lambda SnapStart and ECS
 * use), served here by a local HTTP server that counts each resolution.
 * `maxBytes: 1024` makes a 2 KB body spill, so every invocation signs and uploads.
 *
 * Usage: client-reuse-case.ts <endpoint> <bucket>. Prints one JSON line.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Socket } from 'node:net';
import diagnostics from 'node:diagnostics_channel';
import middy from '@middy/core';
import { S3Client } from '@aws-sdk/client-s3';
import { s3Spill } from '../src/index.js';
import { defaultS3ClientsCreated } from '../src/s3/client.js';
import { CONTEXT, EVENT, quietLogger } from './fixtures.js';

const [endpoint, bucket] = process.argv.slice(2);
const SHARED = 1_000;
const PER_INVOCATION = 200;

// The credentials endpoint: one request per credential resolution.
let resolutions = 0;
const credentials = createServer((_request, response) => {
  resolutions++;
  response.setHeader('content-type', 'application/json');
  response.end(
    JSON.stringify({
      AccessKeyId: 'S3RVER',
      SecretAccessKey: 'S3RVER',
      Token: 'local-session-token',
      Expiration: new Date(Date.now() + 3_600_000).toISOString(),
    }),
  );
});
await new Promise<void>((resolve) => credentials.listen(0, '127.0.0.1', resolve));
const credentialsPort = (credentials.address() as AddressInfo).port;

// Lambda-like environment: everything from env, no files, no instance metadata.
for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) delete process.env[name];
Object.assign(process.env, {
  AWS_ENDPOINT_URL_S3: endpoint,
  AWS_REGION: 'us-east-1',
  AWS_CONTAINER_CREDENTIALS_FULL_URI: `http://127.0.0.1:${credentialsPort}/credentials`,
  AWS_CONFIG_FILE: '/nonexistent/aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
  AWS_EC2_METADATA_DISABLED: 'true',
  // s3rver 3.7 needs checksums only when required (see FACTS.md); real S3 does not.
  AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
  AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
});

// TCP connections opened to the S3 endpoint.
const s3Port = Number(new URL(endpoint).port);
let s3Connections = 0;
diagnostics.subscribe('net.client.socket', (message) => {
  const socket = (message as { socket: Socket }).socket;
  socket.once('connect', () => {
    if (socket.remotePort === s3Port) s3Connections++;
  });
});

const logger = quietLogger();
const body = 'x'.repeat(2_000);
const handler = async (): Promise<unknown> => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body });
const check = (out: unknown): void => {
  if ((out as { statusCode: number }).statusCode !== 303) throw new Error('expected a 303');
};

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}

// One warm container, the middleware's default client.
const shared = middy(handler).use(s3Spill({ bucket, maxBytes: 1024, logger }));
const sharedTimes: number[] = [];
for (let i = 0; i < SHARED; i++) {
  const t = performance.now();
  check(await shared(EVENT, CONTEXT));
  sharedTimes.push(performance.now() - t);
}
const sharedCounts = { clients: defaultS3ClientsCreated(), resolutions, s3Connections };

// The mistake: a new client in every invocation.
resolutions = 0;
s3Connections = 0;
const perTimes: number[] = [];
for (let i = 0; i < PER_INVOCATION; i++) {
  const t = performance.now();
  const client = new S3Client({});
  check(await middy(handler).use(s3Spill({ bucket, maxBytes: 1024, logger, s3Client: client }))(EVENT, CONTEXT));
  perTimes.push(performance.now() - t);
  client.destroy();
}
const perCounts = { clients: PER_INVOCATION, resolutions, s3Connections };

credentials.close();
process.stdout.write(
  `${JSON.stringify({
    shared: { invocations: SHARED, ...sharedCounts, medianMs: median(sharedTimes), firstMs: sharedTimes[0] },
    perInvocation: { invocations: PER_INVOCATION, ...perCounts, medianMs: median(perTimes) },
  })}\n`,
);
process.exit(0);
