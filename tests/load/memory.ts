/**
 * Memory and socket readings for the load tests: a forced full GC (without
 * restarting Node with `--expose-gc`), the bytes that matter (V8 heap in use +
 * memory outside it: Buffers and ArrayBuffers), and the open TCP sockets.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (options?: { type: 'major'; execution: 'sync' }) => void;

/** Run full GCs until the heap stops shrinking, then read it. */
export async function settledMemory(): Promise<number> {
  let last = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 6; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    const now = inUse();
    if (now >= last - 64 * 1024) return now;
    last = now;
  }
  return last;
}

/** V8 heap in use plus memory held outside it (Buffers, ArrayBuffers), in bytes. */
export function inUse(): number {
  const { heapUsed, external } = process.memoryUsage();
  return heapUsed + external;
}

/** Open TCP sockets and servers of this process. */
export function openSockets(): number {
  return process.getActiveResourcesInfo().filter((name) => name.startsWith('TCP')).length;
}

export const MB = 1024 * 1024;
