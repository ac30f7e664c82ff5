/**
 * How a front door delivers a request body to Lambda: text as a string, binary
 * as base64 with `isBase64Encoded: true`. Function URLs and HTTP APIs pass
 * text media types as text and everything else as base64 (Lambda Developer
 * Guide, "Invoking Lambda function URLs", request payload; API Gateway, "Binary
 * media types"). The whole-body mode of `s3Uploads` delivers an object's
 * content the same way.
 *
 * @module uploads/body-encoding
 */
import { isTextMediaType } from '../compression/media-types.js';

/**
 * The event body for these bytes: a UTF-8 string for a text content type
 * (when the bytes are valid UTF-8), otherwise base64.
 *
 * @param bytes - the object's content
 * @param contentType - the object's `Content-Type`
 */
export function eventBodyOf(bytes: Uint8Array, contentType: string | undefined): { body: string; isBase64Encoded: boolean } {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (isTextMediaType(contentType)) {
    const text = buffer.toString('utf8');
    // Invalid UTF-8 decodes to U+FFFD and would not round-trip: then it is sent as base64.
    if (Buffer.from(text, 'utf8').equals(buffer)) return { body: text, isBase64Encoded: false };
  }
  return { body: buffer.toString('base64'), isBase64Encoded: true };
}
