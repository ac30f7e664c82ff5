/**
 * The bytes and content headers that go to S3 for a spilled response.
 *
 * @module spill-body
 */
import { InvalidResponseError } from './errors.js';
import { type HttpResult, readHeader } from './http-result.js';

/** The object to store: real bytes (base64 decoded) and the headers that describe them. */
export interface SpillBody {
  /** The body as sent to the client, in bytes. */
  readonly bytes: Buffer;
  /** `Content-Type` of the object. */
  readonly contentType?: string;
  /** `Content-Encoding` of the object. */
  readonly contentEncoding?: string;
  /** `Content-Language` of the object. */
  readonly contentLanguage?: string;
  /** `Content-Disposition` of the object. */
  readonly contentDisposition?: string;
  /** `Cache-Control` of the object (what the client sees when it fetches the URL). */
  readonly cacheControl?: string;
}

/** API Gateway's `Content-Type` when the function sets none (payload v1 and v2). */
const DEFAULT_CONTENT_TYPE = 'application/json';

/**
 * The body of an HTTP response, as bytes, with its content headers.
 *
 * @param result - the response (its `body` checked by `checkBody`)
 * @param defaultContentType - when the response has no `Content-Type`
 * @throws InvalidResponseError when `isBase64Encoded` is set and the body is not base64
 */
export function spillBodyOf(result: HttpResult, defaultContentType: string | undefined): SpillBody {
  const body = result.body ?? '';
  const bytes = result.isBase64Encoded === true ? decodeBase64(body) : Buffer.from(body, 'utf8');
  return {
    bytes,
    contentType: readHeader(result, 'content-type') ?? defaultContentType,
    contentEncoding: readHeader(result, 'content-encoding'),
    contentLanguage: readHeader(result, 'content-language'),
    contentDisposition: readHeader(result, 'content-disposition'),
    cacheControl: readHeader(result, 'cache-control'),
  };
}

/**
 * A result without `statusCode` behind an HTTP API (v2) or Function URL: the
 * service answers 200 `application/json` with the string as it is, or the JSON
 * of anything else.
 */
export function spillBodyOfBareResult(result: unknown): SpillBody {
  const text = typeof result === 'string' ? result : JSON.stringify(result);
  return { bytes: Buffer.from(text, 'utf8'), contentType: DEFAULT_CONTENT_TYPE };
}

export { DEFAULT_CONTENT_TYPE };

/**
 * Reject bodies the services cannot send as they are: anything but a string,
 * `undefined` or `null`. A `Buffer` or `Uint8Array` would be serialized as
 * `{"type":"Buffer","data":[...]}`; an object is not a valid proxy body.
 *
 * @throws InvalidResponseError
 */
export function checkBody(body: unknown): void {
  if (body === undefined || body === null || typeof body === 'string') return;
  if (body instanceof Uint8Array) {
    throw new InvalidResponseError(
      'The response body is a Buffer/Uint8Array: encode it with base64 and set isBase64Encoded: true',
    );
  }
  throw new InvalidResponseError(`The response body is a ${typeof body}: it must be a string (JSON.stringify it)`);
}

/** Whether a body is a stream (Lambda response streaming): not measured, not spilled. */
export function isStreamBody(body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const candidate = body as { pipe?: unknown; getReader?: unknown };
  return typeof candidate.pipe === 'function' || typeof candidate.getReader === 'function';
}

/** The standard base64 alphabet with at most two `=` of padding at the end (RFC 4648 section 4). */
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Decode base64 once, and prove it was base64 first: Node's decoder skips
 * characters outside the alphabet and also accepts the URL-safe `-` and `_`,
 * so a body the services would reject or decode differently could otherwise be
 * stored as different bytes. Whitespace and line breaks are rejected too.
 *
 * @throws InvalidResponseError
 */
function decodeBase64(text: string): Buffer {
  if (text.length % 4 !== 0 || !BASE64.test(text)) {
    throw new InvalidResponseError('The response has isBase64Encoded: true but its body is not valid base64');
  }
  return Buffer.from(text, 'base64');
}

/** A header value the services take: a string, number or boolean (`undefined` is dropped by JSON). */
function isHeaderValue(value: unknown): boolean {
  const type = typeof value;
  return type === 'string' || type === 'number' || type === 'boolean';
}

/**
 * Reject header maps and cookies the middleware would have to guess about when
 * it builds the `303` and the object's headers: a `headers` value that is not a
 * string, number or boolean (`null`, an object, an array), a `multiValueHeaders`
 * value that is not an array of those, a `cookies` list that is not an array of
 * strings. `undefined` values are allowed (JSON drops them). Only checked for a
 * response that is spilled; a response that fits passes untouched.
 *
 * @throws InvalidResponseError naming the header (never its value)
 */
export function checkHeaders(result: HttpResult): void {
  const { headers, multiValueHeaders, cookies } = result as {
    headers?: unknown;
    multiValueHeaders?: unknown;
    cookies?: unknown;
  };
  if (headers !== undefined) {
    if (!isPlainMap(headers)) throw new InvalidResponseError('The response headers must be an object');
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined && !isHeaderValue(value)) {
        throw new InvalidResponseError(`The value of header ${safeName(name)} must be a string, number or boolean`);
      }
    }
  }
  if (multiValueHeaders !== undefined) {
    if (!isPlainMap(multiValueHeaders)) throw new InvalidResponseError('The response multiValueHeaders must be an object');
    for (const [name, values] of Object.entries(multiValueHeaders)) {
      if (values !== undefined && (!Array.isArray(values) || !values.every(isHeaderValue))) {
        throw new InvalidResponseError(
          `multiValueHeaders ${safeName(name)} must be an array of strings, numbers or booleans`,
        );
      }
    }
  }
  if (cookies !== undefined && (!Array.isArray(cookies) || !cookies.every((c) => typeof c === 'string'))) {
    throw new InvalidResponseError('The response cookies must be an array of strings');
  }
}

function isPlainMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A header name for a message: printable ASCII, at most 64 characters. */
function safeName(name: string): string {
  return `'${name.replace(/[^\x21-\x26\x28-\x7e]/g, '?').slice(0, 64)}'`;
}
