/**
 * Middy 7 is ESM-only, so the quick start fails in a new CommonJS project
 * (`ERR_PACKAGE_PATH_NOT_EXPORTED` from `@middy/core`). The README's Install
 * and Quick start say what such a project does, and what they say holds here:
 * a CommonJS file cannot `require` Middy 7, can `require` Middy 6, and an
 * `.mts`/`.mjs` file (or a `"type": "module"` package) imports Middy 7.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { read, section } from '../docs/markdown.js';
import { ROOT } from '../dev/support.js';

function node(file: string, cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [file], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

it('in a CommonJS project: require of Middy 7 fails, Middy 6 loads, an .mjs file imports Middy 7', async () => {
  const dir = await mkdtemp(join(ROOT, 'node_modules', '.cjs-project-'));
  try {
    await writeFile(join(dir, 'package.json'), JSON.stringify({ name: 'cjs-project', version: '1.0.0' }));
    await writeFile(join(dir, 'seven.js'), "try { require('@middy/core'); console.log('loaded') } catch (e) { console.log(e.code) }");
    await writeFile(join(dir, 'six.js'), "console.log(typeof require('middy6').default)");
    await writeFile(join(dir, 'seven.mjs'), "import middy from '@middy/core'; console.log(typeof middy)");
    expect((await node('seven.js', dir)).output.trim()).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    expect((await node('six.js', dir)).output.trim()).toBe('function');
    expect((await node('seven.mjs', dir)).output.trim()).toBe('function');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

it("the README's Install says what a CommonJS project does, and the Quick start points there", () => {
  const readme = read('README.md');
  const install = section(readme, '## Install');
  expect(install).toMatch(/CommonJS/);
  expect(install).toContain('"type": "module"');
  expect(install).toMatch(/`\.mts`/);
  expect(install).toContain('@middy/core@6');
  expect(install).toContain('ERR_PACKAGE_PATH_NOT_EXPORTED');
  expect(section(readme, '## Quick start')).toMatch(/CommonJS[^\n]*\n?[^\n]*\(#install\)/);
});
