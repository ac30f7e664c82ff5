/**
 * Issue 14: `lambda-s3-spill check` (for deploy pipelines) exits non-zero with the reason for a missing
 * bucket and for what the production guard refuses; and the guard itself in a simulated Lambda environment
 * (a child process with AWS_LAMBDA_FUNCTION_NAME set), where lambda-s3-spill dev's marker lifts it.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runCli } from './support.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dev-check-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function check(file: string, content: string): Promise<{ code: number | string; out: string; err: string }> {
  const path = join(dir, file);
  await writeFile(path, content);
  const cli = runCli(['check', '--env-file', path]);
  const code = await cli.exited;
  return { code, out: cli.lines.join('\n'), err: cli.stderr.join('\n') };
}

it('exits 0 for a good environment (dotenv and the JSON of get-function-configuration)', async () => {
  const dotenv = await check('good.env', '# deployed\nexport S3_SPILL_BUCKET="orders-spill"\nS3_SPILL_PREFIX=spill/\n');
  expect(dotenv).toMatchObject({ code: 0, err: '' });
  expect(dotenv.out).toContain('is fine for a deployed function (bucket orders-spill)');
  const json = await check('config.json', JSON.stringify({ Environment: { Variables: { S3_SPILL_BUCKET: 'orders-spill', AWS_ENDPOINT_URL_S3: 'https://s3.eu-west-1.amazonaws.com' } } }));
  expect(json.code).toBe(0);
});

it.each([
  ['a missing bucket', 'S3_SPILL_PREFIX=spill/\n', /S3_SPILL_BUCKET is not set/],
  ['a bucket name S3 refuses', 'S3_SPILL_BUCKET=Orders_Spill\n', /S3_SPILL_BUCKET \(Orders_Spill\) must be 3 to 63/],
  ['a loopback endpoint', 'S3_SPILL_BUCKET=b-1\nAWS_ENDPOINT_URL_S3=http://127.0.0.1:4569\n', /AWS_ENDPOINT_URL_S3 points S3 at a loopback address \(127\.0\.0\.1\)/],
  ['a private endpoint in AWS_ENDPOINT_URL', 'S3_SPILL_BUCKET=b-1\nAWS_ENDPOINT_URL=http://minio:9000\n', /AWS_ENDPOINT_URL points S3 at a private address \(minio\)/],
  ['the dev marker', 'S3_SPILL_BUCKET=b-1\nLAMBDA_S3_SPILL_DEV=1\n', /LAMBDA_S3_SPILL_DEV is set/],
])('exits 1 with the reason for %s', async (_name, content, reason) => {
  const result = await check('bad.env', content);
  expect(result.code).toBe(1);
  expect(result.err).toMatch(reason);
});

it('reads the process environment without --env-file; exits 2 on a usage error, 1 on a missing file', async () => {
  const base = { PATH: process.env.PATH, HOME: process.env.HOME };
  const good = runCli(['check'], { ...base, S3_SPILL_BUCKET: 'orders-spill' });
  expect(await good.exited).toBe(0);
  const bad = runCli(['check'], { ...base, S3_SPILL_BUCKET: 'orders-spill', AWS_ENDPOINT_URL_S3: 'http://localhost:4566' });
  expect(await bad.exited).toBe(1);
  expect(bad.stderr.join('\n')).toMatch(/loopback address \(localhost\)/);
  const usage = runCli(['check', '--nope']);
  expect(await usage.exited).toBe(2);
  // Node 22 itself reads `--env-file` even after the script name, and exits 9 ("not found") before the
  // command runs when the file is missing; either way the exit is non-zero with the file named.
  const missing = runCli(['check', '--env-file', join(dir, 'missing.env')]);
  expect([1, 9]).toContain(await missing.exited);
  expect(missing.stderr.join('\n')).toMatch(/missing\.env: not found|cannot read the env file/);
});

/** Run a module in a child process (as Lambda would load it) and return its exit code and output. */
function runModule(source: string, env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', source], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

it('the guard in a simulated Lambda environment: a local endpoint fails at creation; sam local and the dev marker lift it', async () => {
  const source = `
    const { s3Spill } = await import('./src/index.ts');
    try { s3Spill(); console.log('created'); } catch (e) { console.log(e.name + ': ' + e.message); process.exitCode = 3; }`;
  const lambda = { PATH: process.env.PATH, AWS_LAMBDA_FUNCTION_NAME: 'orders-api', S3_SPILL_BUCKET: 'orders-spill', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:4569' };
  const refused = await runModule(source, lambda);
  expect(refused.code).toBe(3);
  expect(refused.output).toMatch(/SpillConfigurationError: .*AWS_ENDPOINT_URL_S3 points S3 at a loopback address \(127\.0\.0\.1\) in a deployed Lambda function/);
  for (const lifted of [{ AWS_SAM_LOCAL: 'true' }, { LAMBDA_S3_SPILL_DEV: '1' }, { AWS_ENDPOINT_URL_S3: 'https://s3.us-east-1.amazonaws.com' }]) {
    const result = await runModule(source, { ...lambda, ...lifted });
    expect([result.code, result.output.trim()]).toEqual([0, 'created']);
  }
});
