/**
 * Samples are code a user copies (docs/testing.md hands out `samples/local/`
 * and `samples/testing/`), so they import the library only through its public
 * entries (`lambda-s3-spill`, `lambda-s3-spill/dev`, ...), never its sources
 * (`samples/local/s3-server.ts` imported `../../src/dev/local-s3.js`).
 */
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function sampleFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(m|c)?(t|j)s$/.test(e.name) && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** Every module specifier of `import ... from`, `export ... from`, `import()` and `require()`. */
function specifiers(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm)) found.push(m[2]!);
  return found;
}

it('no sample imports the library by a path into its sources; every lambda-s3-spill specifier is a package export', async () => {
  const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { exports: Record<string, unknown> };
  const exported = new Set(Object.keys(pkg.exports).map((k) => (k === '.' ? 'lambda-s3-spill' : `lambda-s3-spill/${k.slice(2)}`)));
  const problems: string[] = [];
  for (const file of await sampleFiles(join(ROOT, 'samples'))) {
    for (const spec of specifiers(await readFile(file, 'utf8'))) {
      const where = relative(ROOT, file);
      if (spec.startsWith('.')) {
        const target = relative(ROOT, resolve(dirname(file), spec));
        if (!target.startsWith('samples')) problems.push(`${where} imports ${spec}`);
      } else if (spec.startsWith('lambda-s3-spill') && !exported.has(spec)) {
        problems.push(`${where} imports ${spec}, not an entry of package.json`);
      }
    }
  }
  expect(problems).toEqual([]);
});
