/** What a module reaches by static imports, read from esbuild's module graph (dynamic imports are the lazy doors). */
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';

interface Inputs {
  [file: string]: { imports: { path: string; kind: string; external?: boolean }[] };
}

/**
 * The packages an entry reaches through static imports only (Node.js builtins left out).
 *
 * @param entry - a path from the project root, e.g. `src/index.ts`
 */
export function staticExternals(entry: string): Set<string> {
  const result = buildSync({
    absWorkingDir: fileURLToPath(new URL('../..', import.meta.url)),
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
    packages: 'external',
  });
  const inputs = (result.metafile as unknown as { inputs: Inputs }).inputs;
  const seen = new Set<string>();
  const externals = new Set<string>();
  const walk = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const imported of inputs[file]?.imports ?? []) {
      if (imported.kind === 'dynamic-import' || imported.path.startsWith('node:')) continue;
      if (imported.external) externals.add(imported.path);
      else walk(imported.path);
    }
  };
  walk(entry);
  return externals;
}
