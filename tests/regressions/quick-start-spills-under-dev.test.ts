/**
 * The quick start, run as a newcomer runs it: `lambda-s3-spill dev` on the
 * README's handler (default timeout) and a plain HTTP request. Its result is over
 * Lambda's limit, so the answer is a `303` to the body in the embedded S3 (the
 * handler used to return one record: nothing spilled).
 */
import { type DevCommand, startDevCommand } from '../../samples/demo/dev-command.js';

describe.each(['samples/quick-start.ts', 'samples/quick-start-wrapper.ts'])('lambda-s3-spill dev %s', (target) => {
  let dev: DevCommand;
  beforeAll(async () => {
    dev = await startDevCommand(target);
  }, 60_000);
  afterAll(async () => {
    await dev.stop();
  });

  it('answers 303 to the whole JSON in the embedded S3', async () => {
    const response = await fetch(`${dev.url}/cities`, { redirect: 'manual', headers: { 'accept-encoding': 'identity' } });
    await response.arrayBuffer();
    expect(response.status).toBe(303);
    expect((await dev.request(0)).outcome).toBe('spilled');
    const download = await fetch(response.headers.get('location')!);
    expect(download.status).toBe(200);
    const cities = (await download.json()) as unknown[];
    expect(Buffer.byteLength(JSON.stringify(JSON.stringify(cities)))).toBeGreaterThan(6_291_556);
  });
});
