/**
 * The local S3 (s3rver on 127.0.0.1) in a process of its own, so the server's
 * work (parsing, hashing, writing files) does not share the benchmark's event
 * loop, as a real S3 would not. Prints one JSON line `{ endpoint, bucket }`,
 * then serves until stdin closes or SIGTERM.
 */
import { startLocalS3 } from '../samples/local/s3-server.js';

const s3 = await startLocalS3('bench-bucket');
process.stdout.write(`${JSON.stringify({ endpoint: s3.endpoint, bucket: s3.bucket })}\n`);
let stopping = false;
const stop = async (): Promise<void> => {
  if (stopping) return;
  stopping = true;
  await s3.stop();
  process.exit(0);
};
process.stdin.on('end', () => void stop());
process.stdin.on('close', () => void stop());
process.stdin.resume();
process.on('SIGTERM', () => void stop());
