/**
 * What only a spill (or an offload, or an upload) needs loads on first use: no
 * module an entry imports statically imports the AWS SDK, and no source file
 * imports it statically at all (only `import type`): every use goes through a
 * dynamic `import()` of the SDK package itself, which no bundle format hoists
 * (an ESM bundle turns a static import of an external package, even in a
 * lazily imported module, into a top-level import). Read from esbuild's module
 * graph (static imports only; dynamic imports are the lazy doors) and from the
 * sources.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { staticExternals } from '../support/module-graph.js';

const isSdk = (name: string): boolean => name.startsWith('@aws-sdk/') || name.startsWith('@smithy/');

it.each(['src/index.ts', 'src/offload/index.ts', 'src/uploads/index.ts', 'src/messages/index.ts', 'src/cache/index.ts'])('%s imports no AWS SDK module statically', (entry) => {
  const externals = [...staticExternals(entry)];
  expect(externals.filter(isSdk)).toEqual([]);
});

it('sees a static import when there is one (the check can fail)', () => {
  expect([...staticExternals('src/spill/plan.ts')]).toContain('negotiator/lib/encoding.js');
  expect([...staticExternals('cdk/index.ts')]).toContain('aws-cdk-lib');
});

it('loads the plans, and negotiator with them, on the first response the size bound cannot pass', () => {
  // A response that fits runs neither: the spiller imports the plans dynamically.
  expect([...staticExternals('src/index.ts')].filter((name) => name.startsWith('negotiator'))).toEqual([]);
});

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

it('no source file imports an AWS SDK package but by a dynamic import() (or import type)', () => {
  const offenders = files(SRC).filter((file) =>
    /^\s*(import|export)\s+(?!type\b)[^;]*?from\s+['"]@aws-sdk\//m.test(readFileSync(file, 'utf8')),
  );
  expect(offenders).toEqual([]);
  // What the check reads: the spill's store does reach the SDK, dynamically.
  expect(readFileSync(join(SRC, 's3/store.ts'), 'utf8')).toMatch(/import\('@aws-sdk\/client-s3'\)/);
});

/**
 * The builtins only a changed response (or an offloaded message) needs load
 * with it: an ESM bundle of the main entry or of the messages entry (where
 * esbuild turns every static import of a builtin into a top-level import)
 * loads neither `node:zlib`, `node:net` nor `node:crypto` at import, in a fresh
 * Node.js process that has not loaded them itself.
 */
it('an ESM bundle of the main or the messages entry loads no zlib, net or crypto at import', async () => {
  const { buildSync } = await import('esbuild');
  const { execFileSync } = await import('node:child_process');
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const dir = join(root, 'node_modules/.cache/lazy-builtins');
  mkdirSync(dir, { recursive: true });
  const loaded = (entry: string): string[] => {
    const name = entry.replace(/\W/g, '-');
    buildSync({ absWorkingDir: root, entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', packages: 'external', outfile: join(dir, `${name}.mjs`), logLevel: 'silent' });
    writeFileSync(
      join(dir, `${name}.check.mjs`),
      `const before = new Set(process.moduleLoadList);\nawait import('./${name}.mjs');\n` +
        `console.log(JSON.stringify(process.moduleLoadList.filter((m) => !before.has(m)).map((m) => m.replace('NativeModule ', ''))));\n`,
    );
    return JSON.parse(execFileSync(process.execPath, [join(dir, `${name}.check.mjs`)], { encoding: 'utf8' })) as string[];
  };
  const builtins = ['zlib', 'net', 'crypto'];
  const entries = ['src/index.ts', 'src/messages/index.ts'];
  const loadedBuiltins = Object.fromEntries(entries.map((entry) => [entry, loaded(entry).filter((m) => builtins.includes(m))]));
  expect(loadedBuiltins).toEqual({ 'src/index.ts': [], 'src/messages/index.ts': [] });
  // The check sees a builtin that is loaded at import: the dev entry imports node:child_process and node:http.
  expect(loaded('src/dev/index.ts')).toContain('http');
});
