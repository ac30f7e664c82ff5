/**
 * The Node.js binaries the project installs for its tests, as absolute paths.
 *
 * - Node 22: the devDependency `node` (its install script, allowed by
 *   `allowScripts`, fetches `node-<os>-<arch>@22` and links `bin/node`); it is
 *   also `node_modules/.bin/node`, first on `PATH` under `npm run`.
 * - Node 24: the devDependency `node24` (`npm:node@^24`), the same package at
 *   major 24. Its `bin` is also named `node`: `npm ci` links `.bin/node` to the
 *   first in path order (`node` before `node24`), but an `npm install` that
 *   rebuilds only `node24` relinks it, so these paths, not `PATH`, say which is which.
 *
 * Importing this module checks both and throws a message that says how to get them.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

function nodeBinary(major: number, dependency: string): string {
  const path = join(root, 'node_modules', dependency, 'bin', 'node');
  const how = `it comes from the devDependency "${dependency}" in package.json; run \`npm ci\` (its install script must run: allowScripts.node)`;
  if (!existsSync(path)) throw new Error(`Node ${major} is missing: no ${path}; ${how}`);
  let version: string;
  try {
    version = execFileSync(path, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
  } catch (error) {
    throw new Error(`Node ${major} at ${path} does not run (${(error as Error).message}); ${how}`);
  }
  if (version.split('.')[0] !== String(major)) throw new Error(`${path} is Node ${version}, not ${major}.x; ${how}`);
  return path;
}

/** Absolute path of the Node 22 binary (devDependency `node`). */
export const NODE_22 = nodeBinary(22, 'node');

/** Absolute path of the Node 24 binary (devDependency `node24`). */
export const NODE_24 = nodeBinary(24, 'node24');
