/** What a module reaches, read from esbuild's module graph: every file of its bundle, or the packages of its static imports (dynamic imports are the lazy doors). */
import { buildSync } from 'esbuild';
import { fileURLToPath } from 'node:url';

interface Inputs {
  [file: string]: { imports: { path: string; kind: string; external?: boolean }[] };
}

/**
 * esbuild's module graph of an entry bundled for Node.js: every file it
 * reaches, by static and dynamic imports, keyed by its path from the project
 * root; with `packages: 'external'`, packages are left out as imports.
 */
function moduleGraph(entry: string, packages?: 'external'): Inputs {
  const result = buildSync({
    absWorkingDir: fileURLToPath(new URL('../..', import.meta.url)),
    entryPoints: [entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    logLevel: 'silent',
    ...(packages === undefined ? {} : { packages }),
  });
  return (result.metafile as unknown as { inputs: Inputs }).inputs;
}

/**
 * Every file a bundle of the entry would hold (dynamic imports and packages
 * included), as paths from the project root: `src/spill/execute.ts`, `node_modules/…`.
 *
 * @param entry - a path from the project root, e.g. `src/index.ts`
 */
export function bundledFiles(entry: string): string[] {
  return Object.keys(moduleGraph(entry));
}

/**
 * The packages an entry reaches through static imports only (Node.js builtins left out).
 *
 * @param entry - a path from the project root, e.g. `src/index.ts`
 */
export function staticExternals(entry: string): Set<string> {
  const inputs = moduleGraph(entry, 'external');
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
