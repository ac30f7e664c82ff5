/**
 * The check of every URL that becomes a `Location` header or a reference: a
 * URL from a `presign` hook or from the presigner (whatever the signing
 * client's endpoint) must be an absolute `http:` or `https:` URL that is
 * exactly its own parsed form. `URL` parsing strips tabs and line breaks, so a
 * raw string with CR/LF would otherwise pass the parse and then split the
 * response's headers (`Set-Cookie` injected on the `303`).
 *
 * @module http/location
 */

/** Printable ASCII without space: what a serialized URL is made of. */
const URL_CHARACTERS = /^[\x21-\x7e]+$/;

/**
 * Why a URL may not be sent as a `Location`: not a string, not printable ASCII
 * without spaces (control characters, spaces, non-ASCII), not absolute
 * `http(s)`, or not equal to `new URL(url).href`.
 *
 * @param url - the URL
 * @returns the problem, or `undefined` when it may be sent
 */
export function locationProblem(url: unknown): string | undefined {
  if (typeof url !== 'string') return 'must return a string';
  if (!URL_CHARACTERS.test(url)) return 'gave a URL with control characters, spaces or non-ASCII characters';
  if (!URL.canParse(url)) return 'gave a URL that does not parse';
  const parsed = new URL(url);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return 'must give an absolute http(s) URL';
  if (parsed.href !== url) return 'gave a URL that is not in its normalized form';
  return undefined;
}
