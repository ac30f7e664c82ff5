/**
 * Sections 1 (pass-through) and 2 (sizing) in a process of their own, so
 * `run.ts` can run them on each Node.js runtime (Node 22 and Node 24, both
 * from `node_modules`) and print them side by side. argv: endpoint, bucket.
 * Prints one JSON line: the two sections and the runtime's versions.
 */
import { localS3Client } from '../samples/local/s3-server.js';
import { passThrough } from './pass-through.js';
import { sizing } from './sizing.js';

const [endpoint, bucket] = process.argv.slice(2) as [string, string];
const client = localS3Client(endpoint);
try {
  const sections = [await passThrough(client, bucket), await sizing()];
  process.stdout.write(`${JSON.stringify({ node: process.versions.node, v8: process.versions.v8, sections })}\n`);
} finally {
  client.destroy();
}
