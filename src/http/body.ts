/**
 * The body of a response as the client would get it: its bytes (base64
 * decoded) and the content headers that describe them; and the checks that a
 * result can be sent at all.
 *
 * @module http/body
 */
import { DEFAULT_CONTENT_TYPE } from './answers.js';
import { readHeader } from './headers.js';
import type { HttpResult } from './result.js';

/** The content headers of a body: what goes to S3 with it, and what decides whether it compresses. */
export interface ContentHeaders {
  /** `Content-Type`. */
  readonly contentType?: string;
  /** `Content-Encoding`. */
  readonly contentEncoding?: string;
  /** `Content-Language`. */
  readonly contentLanguage?: string;
  /** `Content-Disposition`. */
  readonly contentDisposition?: string;
  /** `Cache-Control` (what the client sees when it fetches the URL). */
  readonly cacheControl?: string;
}

/** The object to store: real bytes (base64 decoded) and the headers that describe them. */
export interface SpillBody extends ContentHeaders {
  /** The body as sent to the client, in bytes. */
  readonly bytes: Buffer;
}

/**
 * The content headers of a response, from either map, in any casing.
 *
 * @param result - the response as its front door reads it, or `undefined` for a bare 2.0 result
 * @param defaultContentType - when the response has no `Content-Type`
 */
export function contentHeadersOf(result: HttpResult | undefined, defaultContentType: string | undefined): ContentHeaders {
  if (result === undefined) return { contentType: DEFAULT_CONTENT_TYPE };
  return {
    contentType: readHeader(result, 'content-type') ?? defaultContentType,
    contentEncoding: readHeader(result, 'content-encoding'),
    contentLanguage: readHeader(result, 'content-language'),
    contentDisposition: readHeader(result, 'content-disposition'),
    cacheControl: readHeader(result, 'cache-control'),
  };
}

/**
 * The body of a response, as bytes, with its content headers; for a bare
 * HTTP API 2.0 / Function URL result (no `statusCode`), the string as it is or
 * the JSON of anything else, as `application/json`.
 *
 * @param result - the response (its body checked by {@link bodyProblem}), or the bare result
 * @param headers - from {@link contentHeadersOf}
 * @returns the body, or `undefined` when `isBase64Encoded` is set and the body is not base64
 */
export function spillBodyOf(result: unknown, headers: ContentHeaders, bare: boolean): SpillBody | undefined {
  if (bare) {
    const text = typeof result === 'string' ? result : JSON.stringify(result);
    return { bytes: Buffer.from(text, 'utf8'), ...headers };
  }
  const { body = '', isBase64Encoded } = result as HttpResult;
  const bytes = isBase64Encoded === true ? decodeBase64(body) : Buffer.from(body, 'utf8');
  return bytes === undefined ? undefined : { bytes, ...headers };
}

/**
 * Why a body cannot be sent as it is: anything but a string, `undefined` or
 * `null`. A `Buffer` or `Uint8Array` would be serialized as
 * `{"type":"Buffer","data":[...]}`; an object is not a valid proxy body.
 *
 * @returns the problem, or `undefined` when the body is fine
 */
export function bodyProblem(body: unknown): string | undefined {
  if (body === undefined || body === null || typeof body === 'string') return undefined;
  if (body instanceof Uint8Array) {
    return 'The response body is a Buffer/Uint8Array: encode it with base64 and set isBase64Encoded: true';
  }
  return `The response body is a ${typeof body}: it must be a string (JSON.stringify it)`;
}

/** The standard base64 alphabet with at most two `=` of padding at the end (RFC 4648 section 4). */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decode base64 once, and prove it was base64 first: Node's decoder skips
 * characters outside the alphabet and also accepts the URL-safe `-` and `_`,
 * so a body the services would reject or decode differently could otherwise be
 * stored as different bytes. Whitespace and line breaks are rejected too.
 *
 * @returns the bytes, or `undefined` when the text is not base64
 */
function decodeBase64(text: string): Buffer | undefined {
  if (text.length % 4 !== 0 || !BASE64.test(text)) return undefined;
  return Buffer.from(text, 'base64');
}

/** A header value the services take: a string, number or boolean (`undefined` is dropped by JSON). */
function isHeaderValue(value: unknown): boolean {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean';
}

/**
 * Why the header maps or cookies of a response are not what the services take
 * (the library would have to guess when it builds an answer and the object's
 * headers): a `headers` value that is not a string, number or boolean (`null`,
 * an object, an array), a `multiValueHeaders` value that is not an array of
 * those, a `cookies` list that is not an array of strings. `undefined` values
 * are allowed (JSON drops them). Checked only for a response that is changed;
 * a response that fits passes untouched.
 *
 * @returns the problem, naming the header (never its value), or `undefined`
 */
export function headersProblem(result: HttpResult): string | undefined {
  const { headers, multiValueHeaders, cookies } = result as {
    headers?: unknown;
    multiValueHeaders?: unknown;
    cookies?: unknown;
  };
  if (headers !== undefined) {
    if (!isPlainMap(headers)) return 'The response headers must be an object';
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined && !isHeaderValue(value)) {
        return `The value of header ${safeName(name)} must be a string, number or boolean`;
      }
    }
  }
  if (multiValueHeaders !== undefined) {
    if (!isPlainMap(multiValueHeaders)) return 'The response multiValueHeaders must be an object';
    for (const [name, values] of Object.entries(multiValueHeaders)) {
      if (values !== undefined && (!Array.isArray(values) || !values.every(isHeaderValue))) {
        return `multiValueHeaders ${safeName(name)} must be an array of strings, numbers or booleans`;
      }
    }
  }
  if (cookies !== undefined && (!Array.isArray(cookies) || !cookies.every((c) => typeof c === 'string'))) {
    return 'The response cookies must be an array of strings';
  }
  return undefined;
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A header name for a message: printable ASCII, at most 64 characters. */
function safeName(name: string): string {
  return `'${name.replace(/[^\x21-\x26\x28-\x7e]/g, '?').slice(0, 64)}'`;
}
