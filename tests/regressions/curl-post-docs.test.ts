/**
 * After a POST answered `303`, curl follows with GET only when the method came
 * from `-d` (`-X POST` makes curl keep POST on every request after a redirect,
 * curl's documented behaviour, and S3 refuses a POST to a presigned GET URL).
 * The docs that show `curl -L` say so, with a `-d` example, and none shows
 * `-X POST` with `-L`. Shown here with real curl against a front door and a
 * local S3.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import middy from '@middy/core';
import { s3Spill } from 'lambda-s3-spill';
import { type FrontDoorServer, startFrontDoor } from '../../samples/local/front-door-server.js';
import { recordingLogger } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const run = promisify(execFile);
const body = 'order,'.repeat(2_000);

let door: FrontDoorServer;
const s3 = useLocalS3('regress-curl-post');
beforeAll(async () => {
  const handler = middy(async () => ({ statusCode: 200, headers: { 'Content-Type': 'text/csv' }, body })).use(
    s3Spill({ bucket: s3.bucket, s3Client: s3.client, logger: recordingLogger().logger, compress: false, maxBytes: 1_024 }),
  );
  door = await startFrontDoor(handler, 'function-url');
});
afterAll(async () => {
  await door.stop();
});

/** The status of each response curl received, in order. */
async function statuses(args: string[]): Promise<{ chain: number[]; out: string }> {
  const { stdout } = await run('curl', ['-s', '-S', '-o', '/dev/null', '-w', '%{http_code} %{num_redirects}', '-D', '-', ...args]);
  const chain = [...stdout.matchAll(/^HTTP\/[\d.]+ (\d{3})/gm)].map((m) => Number(m[1]));
  return { chain, out: stdout };
}

it('curl -L -d follows the 303 with GET and gets the body; with -X POST it keeps POST and S3 refuses', async () => {
  expect((await statuses(['-L', '-d', '{"id":1}', `${door.url}/orders`])).chain).toEqual([303, 200]);
  const forced = (await statuses(['-L', '-X', 'POST', '-d', '{"id":1}', `${door.url}/orders`])).chain;
  expect(forced[0]).toBe(303);
  expect(forced[1]).not.toBe(200);
});

async function docs(): Promise<string[]> {
  const pages = (await readdir(join(ROOT, 'docs'), { recursive: true })).filter((f) => f.endsWith('.md')).map((f) => join(ROOT, 'docs', f));
  return [join(ROOT, 'README.md'), ...pages];
}

it('no doc shows curl with -X POST and -L; the docs that show curl -L give the -d way, or link to the page that does', async () => {
  const problems: string[] = [];
  for (const file of await docs()) {
    const text = await readFile(file, 'utf8');
    const where = relative(ROOT, file);
    // curl commands: in a code span, or a line of a code block
    const commands = [...text.matchAll(/`(curl [^`]*)`/g), ...text.matchAll(/^\s*(?:\$\s*)?(curl .*)$/gm)].map((m) => m[1]!);
    for (const command of commands) {
      if (/(-X\s*POST|--request\s+POST)/.test(command) && /(\s-[a-zA-Z]*L\b|--location\b)/.test(command)) problems.push(`${where}: ${command}`);
    }
    if (/curl -L\b/.test(text) && !/curl -L -d /.test(text) && !/behaviour\.md#clients|\(#clients\)/.test(text)) {
      problems.push(`${where}: shows curl -L without the -d way or a link to behaviour.md#clients`);
    }
  }
  const clients = await readFile(join(ROOT, 'docs', 'behaviour.md'), 'utf8');
  expect(clients).toMatch(/curl -L -d /);
  expect(clients).toMatch(/not `-X POST`/);
  expect(problems).toEqual([]);
});
