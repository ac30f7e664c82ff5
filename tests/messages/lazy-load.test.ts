/**
 * `lambda-s3-spill/messages` loads no AWS SDK module at import: the SQS and SNS
 * clients are the user's (types only), and S3 is imported at the first large message.
 */
import { staticExternals } from '../support/module-graph.js';

it('imports no AWS SDK module statically from the messages entry', () => {
  const externals = [...staticExternals('src/messages/index.ts')];
  expect(externals.filter((name) => name.startsWith('@aws-sdk/') || name.startsWith('@smithy/'))).toEqual([]);
});

it('does reach the S3 client on the store and load paths (the check would see a static import)', () => {
  expect([...staticExternals('src/messages/store.ts')]).toContain('@aws-sdk/client-s3');
  expect([...staticExternals('src/messages/load.ts')]).toContain('@aws-sdk/client-s3');
});
