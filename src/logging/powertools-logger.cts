/**
 * Powertools' `Logger`, taken through the package's CommonJS build.
 *
 * Why CommonJS: bundled as ESM, Powertools' ESM build would have its static
 * imports of `node:crypto` and `node:console` hoisted by esbuild to the top of
 * the bundle, where every cold start loads them (about 4 ms of CPU for
 * `node:crypto`, 4 % of the S3 SDK's import cost; `npm run bench`, section 0),
 * even though the Logger itself is only loaded on first use. Its CommonJS build
 * `require`s them, which a bundle keeps inside the module, run when the
 * `Logger` is first loaded (an ESM bundle needs the `createRequire` banner for
 * that, as docs/packaging.md shows). Unbundled, Node.js loads this file and the
 * CommonJS build directly.
 *
 * @module logging/powertools-logger
 */
import Powertools = require('@aws-lambda-powertools/logger');

/** Powertools' `Logger` class. */
export const Logger = Powertools.Logger;
