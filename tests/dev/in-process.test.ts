/** Issue 14: `lambda-s3-spill/dev` in a user's own test (samples/dev/in-a-test.ts), and the entry points it must stay out of. */
import { readFileSync } from 'node:fs';
import { citiesAreSpilled } from '../../samples/dev/in-a-test.js';
import { bundledFiles } from '../support/module-graph.js';

it('startDevServer serves the handler with its 17 MB answer spilled', async () => {
  expect(await citiesAreSpilled()).toBe(true);
});

it('the main entry and the middleware never import the dev server, s3rver or tsx', () => {
  const inputs = bundledFiles('src/index.ts');
  expect(inputs.filter((i) => /src\/dev\/|node_modules\/(s3rver|tsx|esbuild)\//.test(i))).toEqual([]);
  expect(inputs.some((i) => i.endsWith('src/spill/execute.ts'))).toBe(true);
  // The guard the middleware does import is the pure module.
  expect(readFileSync(new URL('../../src/s3/endpoint-guard.ts', import.meta.url), 'utf8')).not.toMatch(/from '(s3rver|tsx|@aws-sdk)/);
});
