/** The local front door enforces Lambda's request limit, as the demo needs to show the 413 a direct upload gets. */
import { startFrontDoor } from '../../samples/local/front-door-server.js';

it('an event over 6,291,456 bytes is refused with 413 before the handler runs; one under it is invoked', async () => {
  let invoked = 0;
  const server = await startFrontDoor(async (event: { body?: string }) => {
    invoked++;
    return { statusCode: 200, body: String(Buffer.from(event.body ?? '', 'base64').length) };
  });
  try {
    // The Function URL event carries the body as base64: 4,500,000 bytes become 6,000,000.
    const small = await fetch(server.url, { method: 'POST', body: new Uint8Array(4_500_000) });
    expect([small.status, await small.text()]).toEqual([200, '4500000']);
    const big = await fetch(server.url, { method: 'POST', body: new Uint8Array(4_800_000) });
    expect(big.status).toBe(413);
    expect(await big.json()).toEqual({ Message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation' });
    expect(invoked).toBe(1);
    expect(server.refusedRequests).toHaveLength(1);
    expect(server.refusedRequests[0]).toBeGreaterThan(6_291_456);
  } finally {
    await server.stop();
  }
});
