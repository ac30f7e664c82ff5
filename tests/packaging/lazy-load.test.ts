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

it.each(['src/index.ts', 'src/offload/index.ts', 'src/uploads/index.ts'])('%s imports no AWS SDK module statically', (entry) => {
  const externals = [...staticExternals(entry)];
  expect(externals.filter(isSdk)).toEqual([]);
});

it('sees a static import when there is one (the check can fail)', () => {
  expect([...staticExternals('src/index.ts')]).toContain('negotiator');
  expect([...staticExternals('cdk/index.ts')]).toContain('aws-cdk-lib');
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
