/** The cache section of `npm run demo` (samples/demo/cache.ts) shows what it says, on the 17 MB /cities. */
import { cacheDemoHolds, runCacheDemo } from '../../samples/demo/cache.js';

test('/cities: one handler run, two hits to the same byte-identical object, 304 on If-None-Match', async () => {
  const rows = await runCacheDemo();
  expect(rows.map((r) => [r.request, r.handlerRuns, r.statusChain, r.sha256Equal])).toEqual([
    ['first GET', 1, '303 -> 200', true],
    ['second GET', 1, '303 -> 200', true],
    ['third GET', 1, '303 -> 200', true],
    ['GET with If-None-Match', 1, '304', '-'],
  ]);
  expect(new Set(rows.slice(0, 3).map((r) => r.object)).size).toBe(1);
  expect(cacheDemoHolds(rows)).toBe(true);
  expect(cacheDemoHolds([rows[0]!, rows[0]!, rows[2]!, rows[3]!])).toBe(false); // a miss where a hit belongs is caught
});
