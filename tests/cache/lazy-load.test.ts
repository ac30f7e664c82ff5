/**
 * `lambda-s3-spill/cache` loads the AWS SDK on the first lookup, never at
 * import: no module its entry imports statically imports `@aws-sdk/*` (read
 * from esbuild's module graph; dynamic imports are the lazy doors).
 */
import { staticExternals } from '../support/module-graph.js';

it('imports no AWS SDK module statically from the cache entry', () => {
  const externals = [...staticExternals('src/cache/index.ts')];
  expect(externals.filter((name) => name.startsWith('@aws-sdk/') || name.startsWith('@smithy/'))).toEqual([]);
});

it('reaches the SDK from the S3 module it loads on first use (the check would see a static import)', () => {
  expect([...staticExternals('src/storage/s3-object.ts')]).toContain('@aws-sdk/client-s3');
});
