/**
 * The decision, and nothing else: what RFC 9111 lets a shared cache do with a
 * request and a response. Whether to look up, whether a response may be
 * stored and for how long, whether a stored response is fresh, whether
 * `If-None-Match` matches, and the `Cache-Status` member (RFC 9211). No S3, no
 * clock (the time comes in), no I/O.
 *
 * @module cache/policy
 */
import { deltaSeconds, type Directives, parseCacheControl } from './directives.js';

/** Response header fields in order, each `[name, value]`; a field with several values appears several times. */
export type HeaderList = readonly (readonly [string, string])[];

/** Why a request went to the handler (RFC 9211 section 2.2, `fwd`). */
export type Forward = 'uri-miss' | 'vary-miss' | 'stale' | 'request' | 'method' | 'miss';

/** The value of a field in a header list, any casing; several lines joined with `, `. */
export function headerValue(list: HeaderList, lower: string): string | undefined {
  let value: string | undefined;
  for (const [name, v] of list) {
    if (name.toLowerCase() === lower) value = value === undefined ? v : `${value}, ${v}`;
  }
  return value;
}

/** What the cache reads from a request. */
export interface CacheRequest {
  /** Upper case. */
  readonly method: string;
  /** The request's `Cache-Control`. */
  readonly cacheControl: Directives;
  /** Whether the request has `Authorization`. */
  readonly authorization: boolean;
}

/** What to do before the handler: look up, or forward at once (and why). */
export type LookupPlan = { readonly kind: 'lookup' } | { readonly kind: 'forward'; readonly fwd: Forward };

/**
 * Only `GET` and `HEAD` are looked up. A request with `Cache-Control: no-cache`
 * or `max-age=0` asks for the origin (RFC 9111 sections 5.2.1.1 and 5.2.1.4):
 * it is forwarded (`fwd=request`), and its storable answer replaces the entry.
 */
export function lookupPlan(request: CacheRequest): LookupPlan {
  if (request.method !== 'GET' && request.method !== 'HEAD') return { kind: 'forward', fwd: 'method' };
  if (request.cacheControl.has('no-cache') || deltaSeconds(request.cacheControl, 'max-age') === 0) {
    return { kind: 'forward', fwd: 'request' };
  }
  return { kind: 'lookup' };
}

/**
 * Whether an unsafe method's answer invalidates the stored responses of its
 * target: a non-error status (2xx, 3xx) to anything but GET, HEAD, OPTIONS,
 * TRACE (RFC 9111 section 4.4).
 */
export function invalidatesTarget(method: string, status: number): boolean {
  const safe = method === 'GET' || method === 'HEAD' || method === 'OPTIONS' || method === 'TRACE';
  return !safe && method !== '' && status >= 200 && status < 400;
}

/**
 * Statuses stored with explicit freshness (`s-maxage`, `max-age`, `Expires`);
 * `200` also with the `ttl` option. The others RFC 9110 section 15.1 calls
 * heuristically cacheable, less 206 (no ranges here), 405, 414 and 501.
 */
const EXPLICIT_STATUSES = new Set([200, 203, 204, 300, 301, 308, 404, 410]);

/** What the storing decision reads. */
export interface StoreInput {
  readonly request: CacheRequest;
  readonly status: number;
  readonly headers: HeaderList;
  /** Cookies in `cookies` (payload 2.0) or `Set-Cookie` in either header map. */
  readonly setsCookies: boolean;
  /** The `ttl` option, seconds. */
  readonly ttl: number | undefined;
  /** Epoch milliseconds. */
  readonly now: number;
}

/** The storing decision. */
export type StoreDecision =
  | {
      readonly store: true;
      /** Freshness lifetime, seconds. */
      readonly lifetime: number;
      /** The response's `Age` when it was stored, seconds. */
      readonly initialAge: number;
      /** The lower-case field names of the response's `Vary`, sorted. */
      readonly vary: readonly string[];
    }
  | { readonly store: false; readonly why: string };

/**
 * Whether a response may be stored by a shared cache, and its freshness
 * lifetime (RFC 9111 sections 3, 3.5, 4.2.1):
 * - only the answer to a `GET`; not when the request says `no-store`;
 * - a status in {@link EXPLICIT_STATUSES} (`200` alone also by `ttl`);
 * - not `no-store`, `private` or `no-cache` (the handler cannot be asked to
 *   revalidate, so a response that must be revalidated is not stored);
 * - no `Set-Cookie`; no `Vary: *`;
 * - a request with `Authorization` only when the response says `public`,
 *   `s-maxage` or `must-revalidate`;
 * - fresh: `s-maxage`, else `max-age`, else `Expires` minus `Date` (an invalid
 *   `Expires` is in the past), else `ttl`; a lifetime of 0 is not stored.
 */
export function storability(input: StoreInput): StoreDecision {
  const { request, status, headers } = input;
  if (request.method !== 'GET') return { store: false, why: 'not a GET' };
  if (request.cacheControl.has('no-store')) return { store: false, why: 'the request says no-store' };
  if (!EXPLICIT_STATUSES.has(status)) return { store: false, why: `status ${status}` };
  const cc = parseCacheControl(headerValue(headers, 'cache-control'));
  for (const directive of ['no-store', 'private', 'no-cache']) {
    if (cc.has(directive)) return { store: false, why: `the response says ${directive}` };
  }
  if (input.setsCookies) return { store: false, why: 'the response sets cookies' };
  const vary = varyNames(headerValue(headers, 'vary'));
  if (vary === '*') return { store: false, why: 'Vary: *' };
  if (request.authorization && !cc.has('public') && !cc.has('s-maxage') && !cc.has('must-revalidate')) {
    return { store: false, why: 'the request has Authorization and the response does not say public, s-maxage or must-revalidate' };
  }
  const explicit = explicitLifetime(cc, headers, input.now);
  let lifetime: number;
  if (explicit !== undefined) lifetime = explicit;
  else if (status === 200 && input.ttl !== undefined) lifetime = input.ttl;
  else return { store: false, why: 'no freshness' };
  const initialAge = ageOf(headers);
  if (lifetime - initialAge <= 0) return { store: false, why: 'stale already' };
  return { store: true, lifetime, initialAge, vary };
}

/** The response's own freshness lifetime, seconds; `undefined` when it gives none. */
function explicitLifetime(cc: Directives, headers: HeaderList, now: number): number | undefined {
  const sMaxAge = deltaSeconds(cc, 's-maxage');
  if (sMaxAge !== undefined) return sMaxAge;
  const maxAge = deltaSeconds(cc, 'max-age');
  if (maxAge !== undefined) return maxAge;
  const expires = headerValue(headers, 'expires');
  if (expires === undefined) return undefined;
  const expiresAt = Date.parse(expires);
  if (!Number.isFinite(expiresAt)) return 0;
  const date = Date.parse(headerValue(headers, 'date') ?? '');
  return Math.max(0, Math.floor((expiresAt - (Number.isFinite(date) ? date : now)) / 1000));
}

function ageOf(headers: HeaderList): number {
  const age = headerValue(headers, 'age')?.split(',')[0]?.trim();
  return age !== undefined && /^\d+$/.test(age) ? Number(age) : 0;
}

/** The names a `Vary` value lists, lower case, sorted, once each; `'*'` when it holds `*`. */
export function varyNames(value: string | undefined): readonly string[] | '*' {
  if (value === undefined) return [];
  const names = value.split(',').map((n) => n.trim().toLowerCase()).filter((n) => n !== '');
  if (names.includes('*')) return '*';
  return [...new Set(names)].sort();
}

/** When a stored response was stored and how long it stays fresh. */
export interface EntryTimes {
  /** Epoch milliseconds. */
  readonly storedAt: number;
  /** Seconds. */
  readonly initialAge: number;
  /** Seconds. */
  readonly lifetime: number;
}

/** A stored response's freshness for this request. */
export interface Freshness {
  readonly fresh: boolean;
  /** Current age, seconds (the `Age` field). */
  readonly age: number;
  /** Seconds of freshness left (may be negative). */
  readonly ttl: number;
}

/**
 * Current age (RFC 9111 section 4.2.3, with the response time taken as the
 * store time) and whether it is fresh: younger than its lifetime, and within
 * the request's `max-age` and `min-fresh` when it gives them.
 */
export function freshness(entry: EntryTimes, request: CacheRequest, now: number): Freshness {
  const age = entry.initialAge + Math.max(0, Math.floor((now - entry.storedAt) / 1000));
  const ttl = entry.lifetime - age;
  let fresh = ttl > 0;
  const maxAge = deltaSeconds(request.cacheControl, 'max-age');
  if (maxAge !== undefined && age > maxAge) fresh = false;
  const minFresh = deltaSeconds(request.cacheControl, 'min-fresh');
  if (minFresh !== undefined && ttl < minFresh) fresh = false;
  return { fresh, age, ttl };
}

/**
 * Whether `If-None-Match` matches the entity tag: `*`, or any listed tag by
 * weak comparison (RFC 9110 sections 13.1.2 and 8.8.3.2: `W/` ignored,
 * opaque tags compared as strings).
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const trimmed = header.trim();
  if (trimmed === '*') return true;
  const wanted = opaque(etag);
  for (const match of trimmed.matchAll(/(?:W\/)?"[^"]*"/g)) {
    if (opaque(match[0]) === wanted) return true;
  }
  return false;
}

function opaque(tag: string): string {
  const t = tag.trim();
  return t.startsWith('W/') ? t.slice(2) : t;
}

/** The name of this cache in `Cache-Status`. */
export const CACHE_NAME = 'lambda-s3-spill';

/** What the cache did with one request. */
export type CacheOutcome =
  | { readonly hit: true; readonly ttl: number }
  | { readonly hit: false; readonly fwd: Forward; readonly stored?: boolean; readonly ttl?: number; readonly detail?: string };

/**
 * The `Cache-Status` value (RFC 9211): the members of caches nearer the origin
 * first (the response's own field), then this cache's, e.g.
 * `lambda-s3-spill; hit; ttl=250` or `lambda-s3-spill; fwd=uri-miss; stored; ttl=300`.
 */
export function cacheStatus(existing: string | undefined, outcome: CacheOutcome): string {
  let member = CACHE_NAME;
  if (outcome.hit) member += `; hit; ttl=${outcome.ttl}`;
  else {
    member += `; fwd=${outcome.fwd}`;
    if (outcome.stored === true) member += '; stored';
    if (outcome.ttl !== undefined) member += `; ttl=${outcome.ttl}`;
    if (outcome.detail !== undefined) member += `; detail=${outcome.detail}`;
  }
  return existing === undefined || existing.trim() === '' ? member : `${existing}, ${member}`;
}

/** Parse a request's `Cache-Control` (`Pragma: no-cache` counts when there is none, RFC 9111 section 5.4). */
export function requestDirectives(cacheControl: string | undefined, pragma: string | undefined): Directives {
  if (cacheControl === undefined && pragma !== undefined && /(^|,)\s*no-cache\s*(,|$)/i.test(pragma)) {
    return parseCacheControl('no-cache');
  }
  return parseCacheControl(cacheControl);
}
