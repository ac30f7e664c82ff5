/**
 * The API reference builds from the TSDoc with no warning: TypeDoc over the two
 * entry points (typedoc.json: src/index.ts, src/messages/index.ts, cdk/index.ts), warnings as errors,
 * as `npm run docs` does, into a scratch folder.
 */
import { execFile } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const out = join(root, 'node_modules/.cache/typedoc-test');

it('builds the API reference with TypeDoc, warnings treated as errors, and finds none', async () => {
  rmSync(out, { recursive: true, force: true });
  const run = await promisify(execFile)(
    process.execPath,
    [join(root, 'node_modules/typedoc/bin/typedoc'), '--treatWarningsAsErrors', '--out', out],
    { cwd: root, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' }, maxBuffer: 16 * 1024 * 1024 },
  ).catch((error: { code?: number; stdout?: string; stderr?: string }) => ({
    stdout: `exit ${String(error.code)}\n${error.stdout ?? ''}`,
    stderr: error.stderr ?? '',
  }));
  const output = `${run.stdout}${run.stderr}`;
  expect(output.split('\n').filter((line) => /\[(warning|error)\]/.test(line))).toEqual([]);
  expect(existsSync(join(out, 'index.html'))).toBe(true);
  expect(existsSync(join(out, 'functions', 'lambda-s3-spill.withS3Spill.html'))).toBe(true);
  expect(existsSync(join(out, 'classes', 'lambda-s3-spill_cdk.SpillBucket.html'))).toBe(true);
  expect(existsSync(join(out, 'functions', 'lambda-s3-spill_messages.largeMessagesPlugin.html'))).toBe(true);
}, 180_000);
