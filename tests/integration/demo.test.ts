/** `npm run demo` on real data: the 17 MB cities file fails without s3Spill and arrives byte-identical with it. */
import { formatTable, runDemo } from '../../samples/demo/run.js';

it('delivers every demo route byte-identical with s3Spill, and shows the 502 without', async () => {
  const rows = await runDemo();
  const row = (route: string, middleware: string, acceptEncoding = 'identity') =>
    rows.find((r) => r.route === route && r.middleware === middleware && r.acceptEncoding === acceptEncoding)!;
  expect(row('/cities', 'none')).toMatchObject({ delivery: 'rejected', statusChain: '502', sha256Equal: false });
  expect(row('/cities', 'none').serializedBytes).toBeGreaterThan(6_291_556);
  expect(row('/cities', 's3Spill')).toMatchObject({ delivery: 'spilled', statusChain: '303 -> 200', sha256Equal: true });
  expect(row('/cities', 's3Spill').bodyBytes).toBeGreaterThan(17_000_000);
  expect(row('/binary', 'none')).toMatchObject({ delivery: 'rejected', statusChain: '502' });
  expect(row('/binary', 's3Spill')).toMatchObject({ delivery: 'spilled', statusChain: '303 -> 200', sha256Equal: true });
  expect(row('/small', 'none')).toMatchObject({ delivery: 'inline', statusChain: '200', sha256Equal: true });
  expect(row('/small', 's3Spill')).toMatchObject({ delivery: 'inline', statusChain: '200', sha256Equal: true });
  // A client that accepts compression gets the JSON inline, compressed, with no S3 round trip;
  // the gzip file is not compressed again and still spills.
  expect(row('/cities', 's3Spill', 'br, gzip')).toMatchObject({ delivery: 'inline br', statusChain: '200', sha256Equal: true });
  expect(row('/cities', 's3Spill', 'br, gzip').serializedBytes).toBeLessThan(6_291_556);
  expect(row('/binary', 's3Spill', 'br, gzip')).toMatchObject({ delivery: 'spilled', statusChain: '303 -> 200', sha256Equal: true });
  expect(formatTable(rows).split('\n')).toHaveLength(rows.length + 2);
});
