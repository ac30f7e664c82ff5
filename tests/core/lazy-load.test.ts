/**
 * What only a spill (or an offload, or an upload) needs loads on first use: no
 * module the main entry imports statically imports the AWS SDK, so a function
 * whose responses fit never evaluates it at a cold start. Read from esbuild's
 * module graph of src/index.ts (static imports only; dynamic imports are the
 * lazy doors).
 */
import { staticExternals } from '../support/module-graph.js';

it('imports no AWS SDK module statically from the main entry', () => {
  const externals = [...staticExternals('src/index.ts')];
  expect(externals.filter((name) => name.startsWith('@aws-sdk/') || name.startsWith('@smithy/'))).toEqual([]);
  // The check sees the graph: the entry does reach the (small) modules it imports at once.
  expect(externals).toContain('negotiator');
});

it('does load the SDK on the spill path (the check would see a static import)', () => {
  expect([...staticExternals('src/core/execute.ts')]).toContain('@aws-sdk/client-s3');
});
