/** The offload section of `npm run demo`: fails without s3Offload as Lambda and Step Functions would; deep-equal with it. */
import { formatOffloadTable, offloadDemoHolds, runOffloadDemo } from '../../samples/demo/offload.js';
import { readFileSync } from 'node:fs';

it('invoke and Step Functions task: the 17 MB cities fail without s3Offload and arrive deep-equal with it', async () => {
  const rows = await runOffloadDemo();
  const row = (frontEnd: string, value: string, middleware: string) =>
    rows.find((r) => r.frontEnd === frontEnd && r.value === value && r.middleware === middleware)!;
  expect(row('SDK Invoke', 'cities', 'none')).toMatchObject({ outcome: 'Function.ResponseSizeTooLarge', deepEqual: false });
  expect(row('SDK Invoke', 'cities', 'none').resultBytes).toBeGreaterThan(17_000_000);
  expect(row('SDK Invoke', 'cities', 's3Offload')).toMatchObject({ outcome: 'reference', deepEqual: true });
  expect(row('SDK Invoke', 'cities', 's3Offload').answerBytes).toBeLessThan(1_000);
  expect(row('Step Functions task', '5,000 cities', 'none')).toMatchObject({ outcome: 'States.DataLimitExceeded', deepEqual: false });
  expect(row('Step Functions task', '5,000 cities', 'none').answerBytes).toBeGreaterThan(262_144);
  expect(row('Step Functions task', '5,000 cities', 'none').answerBytes).toBeLessThan(6_291_556);
  expect(row('Step Functions task', '5,000 cities', 's3Offload')).toMatchObject({ outcome: 'reference', deepEqual: true });
  expect(row('Step Functions task', 'cities', 's3Offload')).toMatchObject({ outcome: 'reference', deepEqual: true });
  expect(offloadDemoHolds(rows)).toBe(true);
  expect(formatOffloadTable(rows).split('\n')).toHaveLength(rows.length + 2);
});

it('npm run demo calls the section with one line', () => {
  const run = readFileSync('samples/demo/run.ts', 'utf8');
  expect(run.match(/offload/g)).toHaveLength(1);
  expect(run).toContain("await (await import('./offload.js')).printOffloadDemo();");
});
