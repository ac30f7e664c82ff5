/**
 * The deployment samples of docs/packaging.md: the SAM template is cfn-lint
 * clean, and the NodejsFunction synthesizes an ESM bundle that leaves the SDK
 * to the runtime and reaches it only by dynamic import(): no top-level import
 * of an SDK package, which would load it at every cold start.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { PackagingStack } from '../../samples/packaging/stack.js';

const run = promisify(execFile);

it('samples/packaging/template.yaml passes cfn-lint', async () => {
  let result: { code: number; output: string };
  try {
    const { stdout, stderr } = await run('cfn-lint', [join(process.cwd(), 'samples/packaging/template.yaml')]);
    result = { code: 0, output: stdout + stderr };
  } catch (error) {
    const failed = error as { code?: number | string; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error; // cfn-lint missing: fail loudly, never skip
    result = { code: failed.code, output: `${failed.stdout ?? ''}${failed.stderr ?? ''}` };
  }
  expect(result).toEqual({ code: 0, output: '' });
});

it('samples/packaging/stack.ts: an ESM bundle that imports the SDK only on first use', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'packaging-sample-'));
  try {
    const app = new App({ outdir });
    new PackagingStack(app, 'Packaging');
    app.synth();
    const assets = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
    expect(assets).toHaveLength(1);
    const code = readFileSync(join(outdir, assets[0], 'index.mjs'), 'utf8');
    for (const name of ['client-s3', 'lib-storage', 's3-request-presigner']) {
      expect([name, new RegExp(`import\\(\\s*"@aws-sdk/${name}"\\s*\\)`).test(code)]).toEqual([name, true]);
    }
    expect(code.match(/(?:^|[;\n])\s*import\s*[^(;]*?from\s*"@aws-sdk\/[^"]+"/g)).toBeNull();
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}, 120_000);
