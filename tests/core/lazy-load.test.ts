/**
 * What only a spill (or an offload, or an upload) needs loads on first use: no
 * module the main entry imports statically imports the AWS SDK, so a function
 * whose responses fit never evaluates it at a cold start. Read from esbuild's
 * module graph of src/index.ts (static imports only; dynamic imports are the
 * lazy doors).
 */
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';

interface Meta {
  inputs: Record<string, { imports: { path: string; kind: string; external?: boolean }[] }>;
}

function staticExternals(entry: string): Set<string> {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const result = buildSync({
    absWorkingDir: root,
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
    external: ['@aws-sdk/*', '@smithy/*', '@aws-lambda-powertools/*', 'negotiator'],
  });
  const meta = result.metafile as unknown as Meta;
  const seen = new Set<string>();
  const externals = new Set<string>();
  const walk = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of meta.inputs[file]?.imports ?? []) {
      if (imported.kind === 'dynamic-import') continue;
      if (imported.external) externals.add(imported.path);
      else walk(imported.path);
    }
  };
  walk(entry);
  return externals;
}

it('imports no AWS SDK module statically from the main entry', () => {
  const externals = [...staticExternals('src/index.ts')];
  expect(externals.filter((name) => name.startsWith('@aws-sdk/') || name.startsWith('@smithy/'))).toEqual([]);
  // The check sees the graph: the entry does reach the (small) modules it imports at once.
  expect(externals).toContain('negotiator');
});

it('does load the SDK on the spill path (the check would see a static import)', () => {
  expect([...staticExternals('src/core/execute.ts')]).toContain('@aws-sdk/client-s3');
});
