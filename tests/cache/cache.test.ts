/**
 * The cache on a real local S3 (s3rver on loopback), through real Middy
 * pipelines and the wrapper: hits never run the handler, Vary keeps variants
 * apart, HEAD and 304 read no body, no-cache requests refresh, a poisoning
 * attempt fails, every front door, invalidation, options refused.
 */
import { createHash } from 'node:crypto';
import { invalidateCached, s3Cache, s3CacheValidateOptions, withS3Cache } from 'lambda-s3-spill/cache';
import { listKeys, rawGet } from '../support/s3-objects.js';
import { context } from '../support/events.js';
import { useLocalS3 } from '../support/local-s3.js';
import { MIDDY_VERSIONS } from '../support/middy-versions.js';
import { behind, cacheEvent, DOORS, KINDS, quiet, recording, type RequestSpec, seen } from './support.js';

const s3 = useLocalS3('cache-bucket');

let unique = 0;
const nextPath = (): string => `/t${++unique}`;
// The local S3 shares the CPU with the tests: a lookup slower than the default second is a miss by design
// (tests/cache/faults.test.ts), which would make every assertion of a hit depend on the machine's load.
const options = (extra: object = {}) => ({ bucket: s3.bucket, s3Client: s3.client, logger: quiet, lookupTimeoutInMillis: 20_000, ...extra });

/** A handler that counts its runs and answers `body(event)` with `headers`. */
function counted(headers: Record<string, string> = { 'Cache-Control': 'max-age=60', 'Content-Type': 'text/plain' }, body = (_event: unknown, n: number) => `run ${n}`) {
  const state = { runs: 0 };
  const handler = async (event: unknown) => {
    state.runs++;
    return { statusCode: 200, headers: { ...headers }, body: body(event, state.runs) };
  };
  return { state, handler };
}

describe.each(DOORS)('%s door', (door) => {
  test('a hit never runs the handler: Age, ETag, Cache-Status', async () => {
    const { state, handler } = counted();
    const call = behind(door, handler, options());
    const path = nextPath();
    const first = seen(await call(cacheEvent('http-v2', { path })));
    expect(first.headers['cache-status']).toBe('lambda-s3-spill; fwd=uri-miss; stored; ttl=60');
    expect(first.headers.etag).toBe(`"${createHash('md5').update('run 1').digest('hex')}"`);
    for (let i = 0; i < 3; i++) {
      const hit = seen(await call(cacheEvent('http-v2', { path })));
      expect(hit.status).toBe(200);
      expect(hit.body).toBe('run 1');
      expect(hit.headers['content-type']).toBe('text/plain');
      expect(hit.headers['cache-status']).toMatch(/^lambda-s3-spill; hit; ttl=(59|60)$/);
      expect(hit.headers.etag).toBe(first.headers.etag);
      expect(hit.headers.age).toMatch(/^[01]$/);
    }
    expect(state.runs).toBe(1);
  });

  test('Vary: Accept-Encoding keeps br and identity apart', async () => {
    const { state, handler } = counted({ 'Cache-Control': 'max-age=60', Vary: 'Accept-Encoding' }, (event, n) => {
      const coding = (event as { headers: Record<string, string> }).headers['accept-encoding'] ?? 'identity';
      return `${coding} ${n}`;
    });
    const call = behind(door, handler, options());
    const path = nextPath();
    const ask = async (coding: string) => seen(await call(cacheEvent('http-v2', { path, headers: { 'accept-encoding': coding } })));
    expect((await ask('br')).headers['cache-status']).toContain('fwd=uri-miss; stored');
    expect((await ask('identity')).headers['cache-status']).toContain('fwd=vary-miss; stored');
    for (let i = 0; i < 2; i++) {
      const br = await ask('br');
      const identity = await ask('identity');
      expect([br.body, br.headers['cache-status']?.includes('hit')]).toEqual(['br 1', true]);
      expect([identity.body, identity.headers['cache-status']?.includes('hit')]).toEqual(['identity 2', true]);
    }
    expect(state.runs).toBe(2);
  });

  test('HEAD is answered from the GET entry without reading its body', async () => {
    const { state, handler } = counted();
    const { client, commands } = recording(s3.client);
    const call = behind(door, handler, options({ s3Client: client }));
    const path = nextPath();
    await call(cacheEvent('rest-v1', { path }));
    commands.length = 0;
    const head = seen(await call(cacheEvent('rest-v1', { path, method: 'HEAD' })));
    expect([head.status, head.body, head.headers['content-type']]).toEqual([200, '', 'text/plain']);
    expect(head.headers['cache-status']).toContain('hit');
    expect(commands).toEqual(['HeadObject']);
    expect(state.runs).toBe(1);
  });

  test('If-None-Match matching the ETag answers 304 with no body, reading none', async () => {
    const { state, handler } = counted();
    const { client, commands } = recording(s3.client);
    const call = behind(door, handler, options({ s3Client: client }));
    const path = nextPath();
    const first = seen(await call(cacheEvent('alb', { path })));
    for (const inm of [first.headers.etag!, `W/${first.headers.etag}`, `"other", ${first.headers.etag}`, '*']) {
      commands.length = 0;
      const answer = seen(await call(cacheEvent('alb', { path, headers: { 'If-None-Match': inm } })));
      expect([answer.status, answer.body, answer.headers.etag]).toEqual([304, '', first.headers.etag]);
      expect(answer.headers['content-type']).toBeUndefined();
      expect(commands).toEqual(['HeadObject']);
    }
    const other = seen(await call(cacheEvent('alb', { path, headers: { 'If-None-Match': '"nope"' } })));
    expect([other.status, other.body]).toEqual([200, 'run 1']);
    expect(state.runs).toBe(1);
  });

  test('no-cache and max-age=0 requests run the handler and replace the entry', async () => {
    const { state, handler } = counted();
    const call = behind(door, handler, options());
    const path = nextPath();
    await call(cacheEvent('function-url', { path }));
    const forced = seen(await call(cacheEvent('function-url', { path, headers: { 'Cache-Control': 'no-cache' } })));
    expect([forced.body, forced.headers['cache-status']]).toEqual(['run 2', 'lambda-s3-spill; fwd=request; stored; ttl=60']);
    expect(seen(await call(cacheEvent('function-url', { path }))).body).toBe('run 2');
    const again = seen(await call(cacheEvent('function-url', { path, headers: { 'Cache-Control': 'max-age=0' } })));
    expect(again.body).toBe('run 3');
    expect(seen(await call(cacheEvent('function-url', { path }))).body).toBe('run 3');
    expect(state.runs).toBe(3);
  });

  test('a stale entry is a miss and is replaced (max-age=1)', async () => {
    const { state, handler } = counted({ 'Cache-Control': 'max-age=1' });
    const call = behind(door, handler, options());
    const path = nextPath();
    await call(cacheEvent('http-v2', { path }));
    await new Promise((r) => setTimeout(r, 2100));
    const stale = seen(await call(cacheEvent('http-v2', { path })));
    expect([stale.body, stale.headers['cache-status']]).toEqual(['run 2', 'lambda-s3-spill; fwd=stale; stored; ttl=1']);
    expect(seen(await call(cacheEvent('http-v2', { path }))).body).toBe('run 2');
    expect(state.runs).toBe(2);
  });

  test('not stored: private, Set-Cookie, no freshness, Vary: *; each request runs the handler', async () => {
    for (const [headers, cookies] of [
      [{ 'Cache-Control': 'private, max-age=60' }, undefined],
      [{ 'Cache-Control': 'max-age=60' }, ['session=1']],
      [{}, undefined],
      [{ 'Cache-Control': 'max-age=60', Vary: '*' }, undefined],
    ] as const) {
      let runs = 0;
      const call = behind(door, async () => ({ statusCode: 200, headers: { ...headers }, ...(cookies ? { cookies: [...cookies] } : {}), body: `run ${++runs}` }), options());
      const path = nextPath();
      const a = seen(await call(cacheEvent('http-v2', { path })));
      const b = seen(await call(cacheEvent('http-v2', { path })));
      expect([a.body, b.body]).toEqual(['run 1', 'run 2']);
      expect(b.headers['cache-status']).toBe('lambda-s3-spill; fwd=uri-miss');
    }
  });

  test('a poisoning attempt cannot change what another client receives', async () => {
    // The handler reflects three request fields: Accept-Language (named in Vary), X-Forwarded-Host (named by the
    // vary option), Authorization (a per-user answer without public/s-maxage/must-revalidate: never stored).
    const handler = async (event: { headers: Record<string, string> }) => {
      const h = event.headers;
      return {
        statusCode: 200,
        headers: { 'Cache-Control': 'max-age=60', Vary: 'Accept-Language' },
        body: `lang=${h['accept-language'] ?? '-'} host=${h['x-forwarded-host'] ?? '-'} user=${h.authorization ?? '-'}`,
      };
    };
    const call = behind(door, handler as never, options({ vary: ['X-Forwarded-Host'] }));
    const path = nextPath();
    const victim = { 'accept-language': 'en' };
    const clean = seen(await call(cacheEvent('http-v2', { path, headers: victim }))).body;
    expect(clean).toBe('lang=en host=- user=-');
    for (const attack of <Record<string, string>[]>[
      { 'accept-language': 'fr', 'cache-control': 'no-cache' },
      { 'accept-language': 'en', 'x-forwarded-host': 'evil.example', 'cache-control': 'no-cache' },
      { 'accept-language': 'en', authorization: 'Bearer attacker', 'cache-control': 'no-cache' },
      { 'accept-language': 'en', 'x-evil': '1', 'cache-control': 'no-cache', pragma: 'no-cache' },
    ]) {
      await call(cacheEvent('http-v2', { path, headers: attack }));
      expect(seen(await call(cacheEvent('http-v2', { path, headers: victim }))).body).toBe(clean);
    }
  });

  test.each(KINDS)('front door %s: miss then hit, the query in the key, 303 over the limit', async (kind) => {
    const { state, handler } = counted({ 'Cache-Control': 'max-age=60', 'Content-Type': 'text/plain', 'Access-Control-Allow-Origin': '*' }, (event, n) => {
      const e = event as { rawQueryString?: string; multiValueQueryStringParameters?: object; queryStringParameters?: object };
      return `${n} ${JSON.stringify(e.rawQueryString ?? e.multiValueQueryStringParameters ?? e.queryStringParameters ?? null)}`;
    });
    const call = behind(door, handler, options(), { bucket: s3.bucket, s3Client: s3.client, logger: quiet });
    const path = nextPath();
    const a1 = seen(await call(cacheEvent(kind, { path, query: 'a=1&b=x%20y' })));
    const b1 = seen(await call(cacheEvent(kind, { path, query: 'a=2' })));
    const a2 = seen(await call(cacheEvent(kind, { path, query: 'a=1&b=x%20y' })));
    const b2 = seen(await call(cacheEvent(kind, { path, query: 'a=2' })));
    expect([a2.body, b2.body]).toEqual([a1.body, b1.body]);
    expect(a2.headers['cache-status']).toContain('hit');
    expect(a2.headers['access-control-allow-origin']).toBe('*');
    expect(state.runs).toBe(2);

    // Over the front door's limit: stored once, answered 303 to the entry, then hits 303 to the same object.
    const limit = kind.startsWith('alb') ? 1_000_000 : 6_291_556;
    let bigRuns = 0;
    const big = 'c'.repeat(limit + 10);
    const bigCall = behind(door, async () => ({ statusCode: 200, headers: { 'Cache-Control': 'max-age=60', 'Content-Type': 'text/plain' }, body: (++bigRuns, big) }), options(), { bucket: s3.bucket, s3Client: s3.client, logger: quiet });
    const bigPath = nextPath();
    const m = seen(await bigCall(cacheEvent(kind, { path: bigPath })));
    const h = seen(await bigCall(cacheEvent(kind, { path: bigPath })));
    expect([m.status, h.status, bigRuns]).toEqual([303, 303, 1]);
    expect([m.headers['cache-control'], h.headers['cache-control']]).toEqual(['no-store', 'no-store']);
    expect(m.headers['cache-status']).toContain('stored');
    expect(h.headers['cache-status']).toContain('hit');
    expect(new URL(m.headers.location!).pathname).toBe(new URL(h.headers.location!).pathname);
    const fetched = await rawGet(h.headers.location!);
    expect(fetched.body.toString('utf8') === big).toBe(true);
  });
});

test('a body over inlineMaxBytes is a 303 to the stored object; at most it is inline; base64 bodies stay binary', async () => {
  const bytes = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));
  let runs = 0;
  const call = behind('middy', async () => ({ statusCode: 200, headers: { 'Cache-Control': 'max-age=60', 'Content-Type': 'application/octet-stream' }, body: (++runs, bytes.toString('base64')), isBase64Encoded: true }), options({ inlineMaxBytes: 3000 }));
  const path = nextPath();
  await call(cacheEvent('http-v2', { path }));
  const inline = seen(await call(cacheEvent('http-v2', { path })));
  expect([inline.status, inline.isBase64Encoded, Buffer.from(inline.body, 'base64').equals(bytes)]).toEqual([200, true, true]);
  const small = behind('middy', async () => ({ statusCode: 200, headers: { 'Cache-Control': 'max-age=60', 'Content-Type': 'application/octet-stream' }, body: bytes.toString('base64'), isBase64Encoded: true }), options({ inlineMaxBytes: 2999 }));
  const redirected = seen(await small(cacheEvent('http-v2', { path })));
  expect([redirected.status, redirected.headers['cache-control']]).toEqual([303, 'no-store']);
  const object = await rawGet(redirected.headers.location!);
  expect([object.body.equals(bytes), object.headers['content-type']]).toEqual([true, 'application/octet-stream']);
  expect(runs).toBe(1);
});

test('the key function separates tenants; its text never reaches a key', async () => {
  let runs = 0;
  const call = behind('middy', async (event: { headers: Record<string, string> }) => ({ statusCode: 200, headers: { 'Cache-Control': 'max-age=60' }, body: `${event.headers['x-tenant']} ${++runs}` }) as never, options({ key: (r: { event: { headers: Record<string, string> } }) => r.event.headers['x-tenant']! }));
  const path = nextPath();
  const ask = async (tenant: string) => seen(await call(cacheEvent('http-v2', { path, headers: { 'x-tenant': tenant } }))).body;
  expect([await ask('acme-secret'), await ask('globex-secret'), await ask('acme-secret'), await ask('globex-secret')]).toEqual([
    'acme-secret 1', 'globex-secret 2', 'acme-secret 1', 'globex-secret 2',
  ]);
  expect((await listKeys(s3.client, s3.bucket)).some((k) => k.includes('secret'))).toBe(false);
});

test('invalidateCached removes every variant of one target, and only that target', async () => {
  let runs = 0;
  const call = behind('middy', async () => ({ statusCode: 200, headers: { 'Cache-Control': 'max-age=60', Vary: 'Accept-Encoding' }, body: `run ${++runs}` }), options());
  const path = nextPath();
  for (const coding of ['br', 'gzip', 'identity']) await call(cacheEvent('rest-v1', { path, query: 'country=AD', headers: { 'Accept-Encoding': coding } }));
  await call(cacheEvent('rest-v1', { path, query: 'country=FR' }));
  expect(await invalidateCached({ path, query: 'country=AD' }, { bucket: s3.bucket, s3Client: s3.client })).toBe(4); // three variants and their pointer
  const after = seen(await call(cacheEvent('http-v2', { path, query: 'country=AD', headers: { 'accept-encoding': 'br' } })));
  expect(after.headers['cache-status']).toContain('fwd=uri-miss');
  expect(seen(await call(cacheEvent('http-v2', { path, query: 'country=FR' }))).headers['cache-status']).toContain('hit');
});

test('an unsafe method that succeeds invalidates its target (RFC 9111 section 4.4)', async () => {
  let runs = 0;
  const call = behind('middy', async () => ({ statusCode: 200, headers: { 'Cache-Control': 'max-age=60' }, body: `run ${++runs}` }), options());
  const path = nextPath();
  await call(cacheEvent('http-v2', { path }));
  const post = seen(await call(cacheEvent('http-v2', { path, method: 'POST' })));
  expect(post.headers['cache-status']).toBe('lambda-s3-spill; fwd=method');
  expect(seen(await call(cacheEvent('http-v2', { path }))).headers['cache-status']).toContain('fwd=uri-miss');
});

test('a warm container answers a small hit with one GetObject, and falls back to the full lookup when the entry went', async () => {
  let runs = 0;
  const { client, commands } = recording(s3.client);
  const call = behind('middy', async () => ({ statusCode: 200, headers: { 'Cache-Control': 'max-age=60', Vary: 'Accept-Encoding' }, body: `run ${++runs}` }), options({ s3Client: client }));
  const path = nextPath();
  const ask = async () => seen(await call(cacheEvent('http-v2', { path, headers: { 'accept-encoding': 'br' } })));
  await ask();
  commands.length = 0;
  expect((await ask()).body).toBe('run 1');
  expect(commands).toEqual(['GetObject']);
  await invalidateCached({ path }, { bucket: s3.bucket, s3Client: s3.client });
  commands.length = 0;
  const after = await ask();
  expect([after.body, after.headers['cache-status']]).toEqual(['run 2', 'lambda-s3-spill; fwd=uri-miss; stored; ttl=60']);
  expect(commands).toEqual(['GetObject', 'HeadObject', 'PutObject', 'PutObject']);
});

test('a 204 with a null body and explicit freshness is stored and replayed without a body', async () => {
  let runs = 0;
  const call = behind('middy', async () => ({ statusCode: 204, headers: { 'Cache-Control': 'max-age=60' }, body: (++runs, null) }) as never, options());
  const path = nextPath();
  await call(cacheEvent('rest-v1', { path }));
  const hit = seen(await call(cacheEvent('rest-v1', { path })));
  expect([hit.status, hit.body, hit.headers['cache-status']?.includes('hit'), runs]).toEqual([204, '', true, 1]);
});

test('only-if-cached: 504 without running the handler when nothing fresh is stored, the entry when it is', async () => {
  let runs = 0;
  const call = behind('middy', async () => ({ statusCode: 200, headers: { 'Cache-Control': 'max-age=60' }, body: `run ${++runs}` }), options());
  const path = nextPath();
  const cold = seen(await call(cacheEvent('http-v2', { path, headers: { 'cache-control': 'only-if-cached' } })));
  expect([cold.status, cold.body, runs]).toEqual([504, '', 0]);
  await call(cacheEvent('http-v2', { path }));
  const warm = seen(await call(cacheEvent('http-v2', { path, headers: { 'cache-control': 'only-if-cached' } })));
  expect([warm.status, warm.body, runs]).toEqual([200, 'run 1', 1]);
});

test('non-HTTP events pass through untouched', async () => {
  const call = behind('middy', async () => ({ big: 'value' }), options());
  expect(await call({ Records: [] })).toEqual({ big: 'value' });
});

test('options: unknown keys refused with the closest name; wrong values refused; bucket required', () => {
  expect(() => s3Cache({ ttll: 5 } as never)).toThrow(/no option 'ttll'; did you mean 'ttl'\?/);
  expect(() => withS3Cache(async () => 1, { bukcet: 'x' } as never)).toThrow(/did you mean 'bucket'/);
  expect(() => s3CacheValidateOptions({ bucket: 'b', ttl: 0 })).toThrow(TypeError);
  expect(() => s3CacheValidateOptions({ bucket: 'b', vary: ['bad header'] })).toThrow(TypeError);
  expect(() => s3CacheValidateOptions({ bucket: 'b', lookupTimeoutInMillis: 0 })).toThrow(TypeError);
  expect(() => s3CacheValidateOptions({ bucket: 'b', keyPrefix: '/abs' })).toThrow(TypeError);
  const saved = process.env.S3_SPILL_BUCKET;
  delete process.env.S3_SPILL_BUCKET;
  try {
    expect(() => s3CacheValidateOptions({})).toThrow(/needs a bucket/);
  } finally {
    if (saved !== undefined) process.env.S3_SPILL_BUCKET = saved;
  }
  return expect(invalidateCached({ path: '/x' }, { bucket: 'b', ttl: 5 } as never)).rejects.toThrow(/no option 'ttl'/);
});

export type { RequestSpec };

describe.each(MIDDY_VERSIONS)('%s', (_name, middyOf) => {
  test('a hit is an early response: the handler and every after are skipped', async () => {
    let runs = 0;
    let afters = 0;
    const handler = middyOf(async () => ({ statusCode: 200, headers: { 'Cache-Control': 'max-age=60' }, body: `run ${++runs}` }))
      .use({ after: () => void afters++ })
      .use(s3Cache(options()));
    const path = nextPath();
    await handler(cacheEvent('http-v2', { path }), context);
    const hit = seen(await handler(cacheEvent('http-v2', { path }), context));
    expect([hit.body, hit.headers['cache-status']?.includes('hit'), runs, afters]).toEqual(['run 1', true, 1, 1]);
  });
});
