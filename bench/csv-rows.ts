/** A CSV stream for the stream benchmarks: rows built as they are read, never held. */
import { createHash } from 'node:crypto';

/** CSV rows of about 64 bytes, each one new memory, `total` bytes in all; hashes what it gives. */
export async function* csvRows(bytes: number, hash = createHash('sha256')): AsyncGenerator<Buffer> {
  let given = 0;
  let row = 0;
  const header = Buffer.from('id,city,country,lat,lng,population\n');
  hash.update(header);
  given += header.length;
  yield header;
  while (given < bytes) {
    const lines: string[] = [];
    for (let i = 0; i < 1024; i++, row++) lines.push(`${row},City ${row % 99_991},C${row % 251},${(row % 180) - 90}.5,${(row % 360) - 180}.25,${row * 7}`);
    let chunk = Buffer.from(`${lines.join('\n')}\n`);
    if (given + chunk.length > bytes) chunk = chunk.subarray(0, bytes - given);
    given += chunk.length;
    hash.update(chunk);
    yield chunk;
  }
}
