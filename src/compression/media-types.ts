/**
 * Which media types are worth compressing: the default list, the pattern
 * syntax (`type/subtype`, `type/*`, `type/*+suffix`, `!` to exclude) and its
 * check; and which media types a front door delivers as text.
 *
 * @module compression/media-types
 */

/**
 * Media types compressed by default. A pattern is `type/subtype`, `type/*` or
 * `type/*+suffix` (a `*` type matches any type); a leading `!` excludes, and an
 * exclusion wins. Not listed, so never compressed: images but SVG and BMP, audio,
 * video, archives (zip, gzip, 7z, rar), PDF, WOFF fonts, `application/octet-stream`
 * and any response without a `Content-Type`: they are already compressed, or
 * their content is unknown.
 */
export const COMPRESSIBLE_TYPES: readonly string[] = [
  'text/*',
  '!text/event-stream',
  'application/json',
  'application/*+json',
  'application/x-ndjson',
  'application/jsonl',
  'application/xml',
  '*/*+xml',
  'application/javascript',
  'application/x-javascript',
  'application/ecmascript',
  'application/yaml',
  'application/x-yaml',
  'application/x-www-form-urlencoded',
  'application/graphql-response+json',
  'application/wasm',
  'application/x-tar',
  'image/bmp',
  'font/ttf',
  'font/otf',
];

/**
 * The media type of a `Content-Type` value: lower case, without parameters.
 *
 * @returns `undefined` when there is none
 */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const type = contentType.split(';', 1)[0]!.trim().toLowerCase();
  return type === '' ? undefined : type;
}

/**
 * Whether a media type matches a pattern of {@link COMPRESSIBLE_TYPES} (without its `!`).
 */
function matches(mediaType: string, pattern: string): boolean {
  const slash = pattern.indexOf('/');
  const type = pattern.slice(0, slash);
  const subtype = pattern.slice(slash + 1);
  const [actualType, actualSubtype = ''] = mediaType.split('/', 2);
  if (type !== '*' && type !== actualType) return false;
  if (subtype === '*') return true;
  if (subtype.startsWith('*+')) return actualSubtype.endsWith(subtype.slice(1));
  return subtype === actualSubtype;
}

/**
 * Whether a body of this `Content-Type` is worth compressing.
 *
 * @param contentType - the response's `Content-Type` (parameters ignored)
 * @param patterns - allow patterns, and `!` deny patterns that win; see {@link COMPRESSIBLE_TYPES}
 */
export function isCompressibleType(
  contentType: string | undefined,
  patterns: readonly string[] | ((mediaType: string) => boolean) = COMPRESSIBLE_TYPES,
): boolean {
  const mediaType = mediaTypeOf(contentType);
  if (mediaType === undefined) return false;
  if (typeof patterns === 'function') return patterns(mediaType) === true;
  let allowed = false;
  for (const pattern of patterns) {
    const lower = pattern.toLowerCase();
    if (lower.startsWith('!')) {
      if (matches(mediaType, lower.slice(1))) return false;
    } else if (!allowed && matches(mediaType, lower)) {
      allowed = true;
    }
  }
  return allowed;
}

/**
 * Check a pattern list when the middleware is created.
 *
 * @throws TypeError naming the option and the pattern
 */
export function checkTypePatterns(patterns: unknown, option = 'compressibleTypes'): void {
  if (typeof patterns === 'function') return;
  if (!Array.isArray(patterns)) throw new TypeError(`${option} must be an array of media type patterns or a function`);
  for (const pattern of patterns) {
    if (typeof pattern !== 'string' || !/^!?(\*|[\w.+-]+)\/(\*|\*\+[\w.-]+|[\w.+-]+)$/.test(pattern)) {
      throw new TypeError(`${option}: ${JSON.stringify(pattern)} is not a media type pattern (type/subtype, type/*, type/*+suffix)`);
    }
  }
}


/** Media types, besides `text/*`, `+json` and `+xml`, that a front door delivers to Lambda as text. */
const TEXT_MEDIA_TYPES = new Set([
  'application/json',
  'application/xml',
  'application/javascript',
  'application/x-www-form-urlencoded',
  'application/graphql',
  'application/yaml',
  'application/x-ndjson',
]);

/**
 * Whether a front door passes a body of this `Content-Type` as text (else as
 * base64 with `isBase64Encoded: true`): `text/*`, `+json`, `+xml`, JSON, XML,
 * JavaScript, form data, GraphQL, YAML, NDJSON (Lambda Developer Guide,
 * "Invoking Lambda function URLs", request payload; API Gateway, "Binary media
 * types"). One answer for the dev server's front door and for the whole-body
 * mode of `s3Uploads`.
 *
 * @param contentType - a `Content-Type` value (parameters ignored)
 */
export function isTextMediaType(contentType: string | undefined): boolean {
  const media = mediaTypeOf(contentType);
  if (media === undefined) return false;
  return media.startsWith('text/') || media.endsWith('+json') || media.endsWith('+xml') || TEXT_MEDIA_TYPES.has(media);
}
