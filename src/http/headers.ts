/**
 * Case-insensitive header maps, for requests and responses alike (HTTP field
 * names are case-insensitive, RFC 9110 section 5.1). REST APIs and ALBs keep the
 * client's casing, HTTP APIs lower-case; handlers write any casing. Every read,
 * removal and lookup of a header in this library goes through these functions.
 *
 * @module http/headers
 */

/** The header maps of an event or a result: `headers` (one value) and `multiValueHeaders` (lists). */
export interface HeaderMaps {
  readonly headers?: unknown;
  readonly multiValueHeaders?: unknown;
}

/**
 * The key under which `map` holds the header `lower`, in any casing; no
 * allocation (this runs on every response).
 *
 * @param map - a header map, or anything (non-objects have no keys)
 * @param lower - the header name, lower case
 */
export function headerKey(map: unknown, lower: string): string | undefined {
  if (typeof map !== 'object' || map === null) return undefined;
  for (const key in map) {
    if (key.length === lower.length && key.toLowerCase() === lower && Object.prototype.hasOwnProperty.call(map, key)) {
      return key;
    }
  }
  return undefined;
}

/**
 * The value of a header in any casing, from an event or a result:
 * `multiValueHeaders` wins over `headers` (API Gateway keeps only
 * `multiValueHeaders` when a header is in both), and several values are joined
 * with `, `. `null` and `undefined` values count as absent.
 *
 * @param holder - a Lambda event or an HTTP result
 * @param lower - the header name, lower case
 * @returns the value, or `undefined`
 */
export function readHeader(holder: unknown, lower: string): string | undefined {
  if (typeof holder !== 'object' || holder === null) return undefined;
  const { headers, multiValueHeaders } = holder as HeaderMaps;
  const multi = headerKey(multiValueHeaders, lower);
  if (multi !== undefined) {
    const values = (multiValueHeaders as Record<string, unknown>)[multi];
    if (Array.isArray(values) && values.length > 0) return values.map(String).join(', ');
  }
  const single = headerKey(headers, lower);
  if (single !== undefined) {
    const value = (headers as Record<string, unknown>)[single];
    if (value !== undefined && value !== null) return String(value);
  }
  return undefined;
}

/**
 * A copy of a header map without the headers named in `lower` (any casing), and
 * the values removed.
 *
 * @param map - a header map (anything else gives an empty map)
 * @param lower - lower-case names to remove
 */
export function withoutHeaders<T>(map: unknown, lower: ReadonlySet<string>): { map: Record<string, T>; removed: T[] } {
  const out: Record<string, T> = {};
  const removed: T[] = [];
  if (typeof map !== 'object' || map === null) return { map: out, removed };
  for (const key of Object.keys(map)) {
    const value = (map as Record<string, T>)[key]!;
    if (lower.has(key.toLowerCase())) removed.push(value);
    else out[key] = value;
  }
  return { map: out, removed };
}
