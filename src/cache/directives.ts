/**
 * `Cache-Control` as RFC 9111 section 5.2 defines it: a comma-separated list of
 * directives, each a token with an optional `=` token or quoted string.
 *
 * @module cache/directives
 */

/** The directives of one `Cache-Control` field: lower-case name to value (`true` for none). */
export type Directives = ReadonlyMap<string, string | true>;

/**
 * Parse a `Cache-Control` value (several field lines already joined with `, `).
 * Commas inside quoted strings do not split; names are case-insensitive; a
 * directive given twice keeps its first value.
 *
 * @param value - the field value, or `undefined`
 */
export function parseCacheControl(value: string | undefined): Directives {
  const directives = new Map<string, string | true>();
  if (value === undefined) return directives;
  for (const part of splitOutsideQuotes(value)) {
    const equals = part.indexOf('=');
    const name = (equals === -1 ? part : part.slice(0, equals)).trim().toLowerCase();
    if (name === '' || directives.has(name)) continue;
    if (equals === -1) {
      directives.set(name, true);
      continue;
    }
    let argument = part.slice(equals + 1).trim();
    if (argument.startsWith('"') && argument.endsWith('"') && argument.length >= 2) {
      argument = argument.slice(1, -1).replace(/\\(.)/g, '$1');
    }
    directives.set(name, argument);
  }
  return directives;
}

/**
 * A delta-seconds argument (RFC 9111 section 1.2.2): digits only. A directive
 * present with an invalid argument counts as `0` (section 4.2.1: treat as stale),
 * one absent as `undefined`. Values past 2^31 are capped there.
 */
export function deltaSeconds(directives: Directives, name: string): number | undefined {
  const value = directives.get(name);
  if (value === undefined) return undefined;
  if (value === true || !/^\d+$/.test(value)) return 0;
  return Math.min(Number(value), 2_147_483_648);
}

function splitOutsideQuotes(value: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (quoted && c === '\\') {
      current += c + (value[i + 1] ?? '');
      i++;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (c === ',' && !quoted) {
      parts.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  parts.push(current);
  return parts;
}
