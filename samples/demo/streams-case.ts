/**
 * One invocation of the streams demo, in a process of its own started with
 * `--max-old-space-size=512` (the function's 512 MB): runs a handler of
 * `streams-handler.ts` on a Function URL event and prints one JSON line: the
 * status the Function URL would answer, the Location of a 303, what the
 * runtime's JSON.stringify made of the body, the peak RSS (VmHWM), the time,
 * and the SHA-256 of the bytes the generator gave.
 *
 * Usage: streams-case.ts <endpoint> <bucket> <plain|string|spilled> <bytes>
 */
import { readFileSync } from 'node:fs';
import { LAMBDA_RESPONSE_MAX_BYTES } from 'lambda-s3-spill';
import { localS3Client } from '../local/s3-server.js';
import { exportRequest, newHash, plain, spilled, string } from './streams-handler.js';

const [endpoint, bucket, mode, bytes] = process.argv.slice(2);
const hash = newHash();
exportRequest.bytes = Number(bytes);
exportRequest.hash = hash;
const event = {
  version: '2.0',
  rawPath: '/export.csv',
  headers: {},
  requestContext: { domainName: 'demo.lambda-url.us-east-1.on.aws', http: { method: 'GET', path: '/export.csv' }, timeEpoch: Date.now() },
};
const context = { getRemainingTimeInMillis: () => 900_000 } as never;
const peak = (): number => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) * 1024;
const started = performance.now();
let line: Record<string, unknown>;
try {
  const client = localS3Client(endpoint!);
  const handler = mode === 'spilled' ? spilled({ bucket, s3Client: client, compress: false, queueSize: 4 }) : mode === 'string' ? string : plain;
  const result = (await handler(event as never, context)) as { statusCode: number; headers?: Record<string, string>; body?: unknown };
  // What the Lambda runtime does with the result: JSON.stringify, then the Function URL reads it.
  const json = JSON.stringify(result);
  const serialized = Buffer.byteLength(json);
  const bodyIsString = typeof result.body === 'string';
  line = {
    status: !bodyIsString ? 502 : serialized > LAMBDA_RESPONSE_MAX_BYTES ? 502 : result.statusCode,
    why: !bodyIsString
      ? `the body is not a string: JSON.stringify made it ${JSON.stringify(result.body).slice(0, 40)}…`
      : serialized > LAMBDA_RESPONSE_MAX_BYTES
        ? `${serialized.toLocaleString('en-US')} bytes is over ${LAMBDA_RESPONSE_MAX_BYTES.toLocaleString('en-US')}`
        : undefined,
    location: result.headers?.Location,
  };
  client.destroy();
} catch (error) {
  line = { status: 502, why: `the handler failed: ${(error as Error).message.split('\n')[0]}` };
}
line.ms = Math.round(performance.now() - started);
line.peakRss = peak();
line.sha256 = hash.digest('hex');
process.stdout.write(`${JSON.stringify(line)}\n`);
