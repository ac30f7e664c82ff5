/**
 * The RFC 9111 rules of the cache's decision, one table row each: storable or
 * not (status, directive, Authorization, Set-Cookie, Vary), freshness (by
 * s-maxage, max-age, Expires, ttl), lookups, If-None-Match, Cache-Status.
 */
import { parseCacheControl } from '../../src/cache/directives.js';
import {
  type CacheRequest,
  cacheStatus,
  freshness,
  ifNoneMatchMatches,
  lookupPlan,
  requestDirectives,
  storability,
  type HeaderList,
} from '../../src/cache/policy.js';

const NOW = Date.parse('2026-12-06T00:00:00Z');
const get = (cc?: string, authorization = false): CacheRequest => ({ method: 'GET', cacheControl: parseCacheControl(cc), authorization });

interface Row {
  rule: string;
  status?: number;
  headers?: HeaderList;
  cookies?: boolean;
  request?: CacheRequest;
  ttl?: number;
  /** `false`, or the expected lifetime in seconds. */
  expected: false | number;
}

const rows: Row[] = [
  { rule: '200 with max-age is stored for max-age', headers: [['Cache-Control', 'max-age=60']], expected: 60 },
  { rule: 's-maxage wins over max-age (shared cache)', headers: [['Cache-Control', 'max-age=60, s-maxage=30']], expected: 30 },
  { rule: 'max-age wins over Expires', headers: [['Cache-Control', 'max-age=10'], ['Expires', 'Sun, 06 Dec 2026 01:00:00 GMT']], expected: 10 },
  { rule: 'Expires minus Date', headers: [['Date', 'Sun, 06 Dec 2026 00:00:00 GMT'], ['Expires', 'Sun, 06 Dec 2026 00:02:00 GMT']], expected: 120 },
  { rule: 'Expires minus now without Date', headers: [['Expires', 'Sun, 06 Dec 2026 00:00:30 GMT']], expected: 30 },
  { rule: 'an invalid Expires is in the past', headers: [['Expires', '0']], ttl: 60, expected: false },
  { rule: 'explicit freshness wins over ttl', headers: [['Cache-Control', 'max-age=5']], ttl: 60, expected: 5 },
  { rule: '200 without freshness uses ttl', ttl: 60, expected: 60 },
  { rule: '200 without freshness and no ttl is not stored', expected: false },
  { rule: 'max-age=0 is not stored', headers: [['Cache-Control', 'max-age=0']], ttl: 60, expected: false },
  { rule: 'an invalid max-age counts as 0', headers: [['Cache-Control', 'max-age=abc']], ttl: 60, expected: false },
  { rule: 'Age already past the lifetime: not stored', headers: [['Cache-Control', 'max-age=10'], ['Age', '10']], expected: false },
  { rule: 'Age is kept as the initial age', headers: [['Cache-Control', 'max-age=10'], ['Age', '4']], expected: 10 },
  { rule: '203 with explicit freshness', status: 203, headers: [['Cache-Control', 'max-age=9']], expected: 9 },
  { rule: '204 with explicit freshness', status: 204, headers: [['Cache-Control', 'max-age=9']], expected: 9 },
  { rule: '300 with explicit freshness', status: 300, headers: [['Cache-Control', 'max-age=9']], expected: 9 },
  { rule: '301 with explicit freshness', status: 301, headers: [['Cache-Control', 'max-age=9']], expected: 9 },
  { rule: '308 with explicit freshness', status: 308, headers: [['Cache-Control', 'max-age=9']], expected: 9 },
  { rule: '404 with explicit freshness', status: 404, headers: [['Cache-Control', 'max-age=9']], expected: 9 },
  { rule: '410 with explicit freshness', status: 410, headers: [['Cache-Control', 'max-age=9']], expected: 9 },
  { rule: '404 with ttl only is not stored', status: 404, ttl: 60, expected: false },
  { rule: '301 with ttl only is not stored', status: 301, ttl: 60, expected: false },
  { rule: '201 is never stored', status: 201, headers: [['Cache-Control', 'max-age=9']], expected: false },
  { rule: '302 is not stored', status: 302, headers: [['Cache-Control', 'max-age=9']], expected: false },
  { rule: '500 is not stored', status: 500, headers: [['Cache-Control', 'max-age=9']], expected: false },
  { rule: 'no-store is not stored', headers: [['Cache-Control', 'no-store, max-age=60']], ttl: 60, expected: false },
  { rule: 'private is not stored (shared cache)', headers: [['Cache-Control', 'private, max-age=60']], expected: false },
  { rule: 'private="x" is not stored either', headers: [['Cache-Control', 'private="Set-Cookie", max-age=60']], expected: false },
  { rule: 'no-cache is not stored (no revalidation)', headers: [['Cache-Control', 'no-cache']], ttl: 60, expected: false },
  { rule: 'directives are case-insensitive', headers: [['cache-control', 'No-Store']], ttl: 60, expected: false },
  { rule: 'Set-Cookie is not stored', headers: [['Set-Cookie', 'a=b']], ttl: 60, expected: false },
  { rule: 'cookies (payload 2.0) are not stored', cookies: true, ttl: 60, expected: false },
  { rule: 'Vary: * is never stored', headers: [['Vary', 'Accept, *']], ttl: 60, expected: false },
  { rule: 'Vary: Accept-Encoding is stored', headers: [['Vary', 'Accept-Encoding']], ttl: 60, expected: 60 },
  { rule: 'Authorization: not stored without public/s-maxage/must-revalidate', request: get(undefined, true), headers: [['Cache-Control', 'max-age=60']], expected: false },
  { rule: 'Authorization: stored with public', request: get(undefined, true), headers: [['Cache-Control', 'public, max-age=60']], expected: 60 },
  { rule: 'Authorization: stored with s-maxage', request: get(undefined, true), headers: [['Cache-Control', 's-maxage=60']], expected: 60 },
  { rule: 'Authorization: stored with must-revalidate', request: get(undefined, true), headers: [['Cache-Control', 'must-revalidate, max-age=60']], expected: 60 },
  { rule: 'Authorization with ttl only is not stored', request: get(undefined, true), ttl: 60, expected: false },
  { rule: 'a request with no-store is not stored', request: get('no-store'), ttl: 60, expected: false },
  { rule: 'a HEAD answer is not stored', request: { method: 'HEAD', cacheControl: parseCacheControl(undefined), authorization: false }, ttl: 60, expected: false },
  { rule: 'a POST answer is not stored', request: { method: 'POST', cacheControl: parseCacheControl(undefined), authorization: false }, headers: [['Cache-Control', 'max-age=60']], expected: false },
  { rule: 'a quoted comma does not split directives', headers: [['Cache-Control', 'community="a,private", max-age=7']], expected: 7 },
];

describe('storability (RFC 9111 sections 3, 3.5, 4.2.1)', () => {
  test.each(rows)('$rule', (row) => {
    const decision = storability({
      request: row.request ?? get(),
      status: row.status ?? 200,
      headers: row.headers ?? [],
      setsCookies: row.cookies ?? (row.headers ?? []).some(([n]) => n.toLowerCase() === 'set-cookie'),
      ttl: row.ttl,
      now: NOW,
    });
    if (row.expected === false) expect(decision.store).toBe(false);
    else expect(decision).toMatchObject({ store: true, lifetime: row.expected });
  });
});

describe('freshness and request directives (RFC 9111 sections 4.2, 5.2.1)', () => {
  const entry = { storedAt: NOW, initialAge: 2, lifetime: 10 };
  test.each([
    { rule: 'fresh while age < lifetime', at: 5_000, cc: undefined, fresh: true, age: 7 },
    { rule: 'stale at the lifetime', at: 8_000, cc: undefined, fresh: false, age: 10 },
    { rule: 'request max-age below the age: not fresh', at: 3_000, cc: 'max-age=4', fresh: false, age: 5 },
    { rule: 'request max-age above the age: fresh', at: 3_000, cc: 'max-age=6', fresh: true, age: 5 },
    { rule: 'min-fresh more than left: not fresh', at: 3_000, cc: 'min-fresh=6', fresh: false, age: 5 },
  ])('$rule', ({ at, cc, fresh, age }) => {
    expect(freshness(entry, get(cc), NOW + at)).toMatchObject({ fresh, age });
  });

  test.each([
    { rule: 'GET is looked up', method: 'GET', cc: undefined, plan: { kind: 'lookup' } },
    { rule: 'HEAD is looked up', method: 'HEAD', cc: undefined, plan: { kind: 'lookup' } },
    { rule: 'POST is forwarded (fwd=method)', method: 'POST', cc: undefined, plan: { kind: 'forward', fwd: 'method' } },
    { rule: 'no-cache is forwarded (fwd=request)', method: 'GET', cc: 'no-cache', plan: { kind: 'forward', fwd: 'request' } },
    { rule: 'max-age=0 is forwarded (fwd=request)', method: 'GET', cc: 'max-age=0', plan: { kind: 'forward', fwd: 'request' } },
  ])('$rule', ({ method, cc, plan }) => {
    expect(lookupPlan({ method, cacheControl: parseCacheControl(cc), authorization: false })).toEqual(plan);
  });

  test('Pragma: no-cache counts only without Cache-Control (RFC 9111 section 5.4)', () => {
    expect(requestDirectives(undefined, 'no-cache').has('no-cache')).toBe(true);
    expect(requestDirectives('max-age=5', 'no-cache').has('no-cache')).toBe(false);
  });
});

describe('If-None-Match (weak comparison, RFC 9110 section 13.1.2)', () => {
  test.each([
    { header: '"abc"', etag: '"abc"', match: true },
    { header: 'W/"abc"', etag: '"abc"', match: true },
    { header: '"abc"', etag: 'W/"abc"', match: true },
    { header: '"x", "abc"', etag: '"abc"', match: true },
    { header: '*', etag: '"abc"', match: true },
    { header: '"abd"', etag: '"abc"', match: false },
    { header: 'abc', etag: '"abc"', match: false },
    { header: undefined, etag: '"abc"', match: false },
  ])('$header against $etag: $match', ({ header, etag, match }) => {
    expect(ifNoneMatchMatches(header, etag)).toBe(match);
  });
});

test('Cache-Status members (RFC 9211)', () => {
  expect(cacheStatus(undefined, { hit: true, ttl: 5 })).toBe('lambda-s3-spill; hit; ttl=5');
  expect(cacheStatus(undefined, { hit: false, fwd: 'uri-miss', stored: true, ttl: 60 })).toBe('lambda-s3-spill; fwd=uri-miss; stored; ttl=60');
  expect(cacheStatus('origin; hit', { hit: false, fwd: 'stale' })).toBe('origin; hit, lambda-s3-spill; fwd=stale');
});
