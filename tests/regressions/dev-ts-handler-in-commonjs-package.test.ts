/**
 * Issue 19, item 6: under `lambda-s3-spill dev`, a `.ts` handler in a CommonJS
 * package (`npm init -y`, no "type") answered differently from the same
 * handler as `.mts` (and from Lambda): with S3 refusing connections `fail.ts`
 * threw SpillUploadError where `fail.mts` returned the 502 response, and with
 * too little time left `slow.ts` answered 502 where `slow.mts` answered 503
 * with Retry-After. tsx turns the ESM `dist` files into CommonJS when the
 * handler `require`s them, while the executor the core loads with `import()`
 * comes from the ESM copy: two copies of the error classes, and `instanceof`
 * failed in the wrapper. Fixed by the errors' brand (issue 18: `Symbol.for`
 * with `Symbol.hasInstance`), so `instanceof` holds across both copies.
 *
 * The package is the library as built (`tsc -p tsconfig.build.json`, into the
 * scratch project's node_modules), as a user installs it.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { commonJsProject, freePort, request, ROOT, startDev, stopDev } from '../dev/support.js';

const HANDLER = `import { withS3Spill } from 'lambda-s3-spill';

// The S3 endpoint of the scenario (the dev server points the SDK at its embedded S3 otherwise).
if (process.env.SCENARIO_S3_ENDPOINT !== undefined) process.env.AWS_ENDPOINT_URL_S3 = process.env.SCENARIO_S3_ENDPOINT;

export const handler = withS3Spill(
  async () => ({ statusCode: 200, headers: { 'Content-Type': 'text/plain' }, body: 'x'.repeat(7_000_000) }),
  { compress: false, timeoutEarlyInMillis: Number(process.env.SCENARIO_TIMEOUT_EARLY ?? 1000) },
);
`;

let project: string;
let stalled: Server;
const held: Socket[] = [];

beforeAll(async () => {
  project = commonJsProject({ 'src/handler.ts': HANDLER, 'src/handler.mts': HANDLER });
  // The library as installed from npm: its package.json and its compiled files, its own dependencies beside it.
  rmSync(join(project, 'node_modules'));
  const library = join(project, 'node_modules', 'lambda-s3-spill');
  mkdirSync(library, { recursive: true });
  copyFileSync(join(ROOT, 'package.json'), join(library, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(library, 'node_modules'), 'dir');
  await promisify(execFile)(
    join(ROOT, 'node_modules', 'node', 'bin', 'node'),
    [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json', '--outDir', join(library, 'dist'), '--noCheck', '--declaration', 'false'],
    { cwd: ROOT },
  );
  stalled = createServer((socket) => held.push(socket));
  await new Promise<void>((resolve) => stalled.listen(0, '127.0.0.1', resolve));
}, 300_000);

afterAll(async () => {
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => stalled?.close(resolve));
  if (project !== undefined) rmSync(project, { recursive: true, force: true });
});

/** What a client sees of the answer to GET /big: status, the headers that carry meaning, body. */
async function answerOf(file: string, env: Record<string, string>): Promise<Record<string, unknown>> {
  const cli = await startDev([file], { ...process.env, ...env }, project);
  try {
    const answer = await request(`${cli.url}/big`);
    const header = (name: string) => answer.headers.get(name);
    return {
      status: answer.status,
      contentType: header('content-type'),
      cacheControl: header('cache-control'),
      retryAfter: header('retry-after'),
      body: answer.body.toString(),
    };
  } finally {
    await stopDev(cli);
  }
}

it.each([
  ['S3 refusing connections', 502, async () => ({ SCENARIO_S3_ENDPOINT: `http://127.0.0.1:${await freePort()}` })],
  ['S3 stalled', 503, async () => ({ SCENARIO_S3_ENDPOINT: `http://127.0.0.1:${(stalled.address() as { port: number }).port}` })],
  ['out of time (the deadline passed before the spill starts)', 503, async () => ({ SCENARIO_TIMEOUT_EARLY: '900000' })],
])('%s: src/handler.ts answers exactly what src/handler.mts answers (%i)', async (_name, status, envOf) => {
  const env = await envOf();
  const [cts, mts] = await Promise.all([answerOf('src/handler.ts', env), answerOf('src/handler.mts', env)]);
  expect(mts.status).toBe(status);
  expect(cts).toEqual(mts);
});
