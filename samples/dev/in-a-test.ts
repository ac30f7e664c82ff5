import { startDevServer } from 'lambda-s3-spill/dev';

/** A user's own test: the handler behind a Function URL with Lambda's limits, its 17 MB answer spilled. */
export async function citiesAreSpilled(): Promise<boolean> {
  const server = await startDevServer({ module: 'samples/dev/handler.ts', exportName: 'spilled', port: 0, log: () => {} });
  try {
    // fetch accepts gzip and br by default, and 17 MB of JSON then fits inline compressed: ask for identity.
    const first = await fetch(`${server.url}/cities`, { redirect: 'manual', headers: { 'accept-encoding': 'identity' } });
    const second = await fetch(first.headers.get('location')!);
    const cities: unknown[] = await second.json();
    return first.status === 303 && cities.length > 100_000 && server.requests[0].outcome === 'spilled';
  } finally {
    await server.stop();
  }
}
