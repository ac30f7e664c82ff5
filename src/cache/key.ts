/**
 * The key material of a request, and the object keys it gives. Pure.
 *
 * Layout under the key prefix (`cache/` by default):
 * - `<prefix><T>/<B>`: the entry of a response without `Vary`, or, when the
 *   response had a `Vary`, a small pointer object naming its fields;
 * - `<prefix><T>/<B>.<V>`: the entry of one variant of a response with `Vary`;
 * where `T` is a hash of the request target (path and query), `B` of the
 * `key` function's answer and the values of the `vary` option's headers, and
 * `V` of the values of the headers the response's `Vary` names. Every variant
 * of one target lies under `<prefix><T>/`: `invalidateCached` lists that
 * prefix and deletes what it finds. Hashes are SHA-256, 128 bits in hex: no
 * request text reaches a key.
 *
 * @module cache/key
 */
import { createHash } from 'node:crypto';
import type { FrontDoor } from '../http/events.js';
import { readHeader } from '../http/headers.js';

/** The path and query of a request target, as the front door received them. */
export interface Target {
  readonly path: string;
  /** Without the `?`; `''` when there is none. */
  readonly query: string;
}

/** The request target in one string: `path` or `path?query`. */
export function targetString(target: Target): string {
  return target.query === '' ? target.path : `${target.path}?${target.query}`;
}

/**
 * The request target of an event: `rawPath` and `rawQueryString` for payload
 * 2.0 (HTTP API, Function URL); `path` and the query rebuilt from
 * `multiValueQueryStringParameters` (else `queryStringParameters`) in the order
 * given for payload 1.0 and ALB. API Gateway gives 1.0 parameters decoded, so
 * they are percent-encoded again; an ALB gives them as received.
 */
export function targetOf(event: unknown, frontDoor: FrontDoor): Target {
  const e = event as {
    rawPath?: unknown;
    rawQueryString?: unknown;
    path?: unknown;
    requestContext?: { http?: { path?: unknown } };
    multiValueQueryStringParameters?: unknown;
    queryStringParameters?: unknown;
  };
  if (frontDoor === 'http-v2' || frontDoor === 'function-url') {
    const path = typeof e.rawPath === 'string' ? e.rawPath : String(e.requestContext?.http?.path ?? '/');
    return { path, query: typeof e.rawQueryString === 'string' ? e.rawQueryString : '' };
  }
  const path = typeof e.path === 'string' ? e.path : '/';
  const encode = frontDoor === 'alb' ? (s: string) => s : encodeURIComponent;
  const pairs: string[] = [];
  const multi = e.multiValueQueryStringParameters;
  const single = e.queryStringParameters;
  if (typeof multi === 'object' && multi !== null) {
    for (const [name, values] of Object.entries(multi)) {
      for (const value of Array.isArray(values) ? values : [values]) pairs.push(`${encode(name)}=${encode(String(value))}`);
    }
  } else if (typeof single === 'object' && single !== null) {
    for (const [name, value] of Object.entries(single)) pairs.push(`${encode(name)}=${encode(String(value))}`);
  }
  return { path, query: pairs.join('&') };
}

/**
 * The values of the named request headers, as RFC 9111 section 4.1 compares
 * them: several field lines joined, whitespace around commas removed; an
 * absent field differs from an empty one.
 */
export function headerValues(event: unknown, names: readonly string[]): [string, string | null][] {
  return names.map((name) => {
    const value = readHeader(event, name);
    return [name, value === undefined ? null : value.split(',').map((v) => v.trim()).join(',')];
  });
}

function hash(material: string): string {
  return createHash('sha256').update(material).digest('hex').slice(0, 32);
}

/** The prefix of every entry of one target: `<keyPrefix><T>/`. */
export function targetPrefix(keyPrefix: string, target: Target): string {
  return `${keyPrefix}${hash(`target\u0000${targetString(target)}`)}/`;
}

/** The base key material: the `key` function's answer and the `vary` option's headers. */
export function baseMaterial(keyAnswer: string | undefined, vary: [string, string | null][]): string {
  return JSON.stringify([keyAnswer ?? null, vary]);
}

/** The key of the entry (or pointer) of a target and base material. */
export function baseKey(keyPrefix: string, target: Target, base: string): string {
  return `${targetPrefix(keyPrefix, target)}${hash(`base\u0000${base}`)}`;
}

/** The key of one variant: the base key and the values of the response's `Vary` fields. */
export function variantKey(base: string, varied: [string, string | null][]): string {
  return `${base}.${hash(`variant\u0000${JSON.stringify(varied)}`)}`;
}
