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

/**
 * Decode base64 once, and prove it was base64: Node's decoder skips characters
 * outside the alphabet, so a decoded length other than the one the text implies
 * means the text was not base64.
 *
 * @throws InvalidResponseError
 */
function decodeBase64(text: string): Buffer {
  const bytes = Buffer.from(text, 'base64');
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  if (text.length % 4 !== 0 || bytes.length !== (text.length / 4) * 3 - padding) {
    throw new InvalidResponseError('The response has isBase64Encoded: true but its body is not valid base64');
  }
  return bytes;
}
