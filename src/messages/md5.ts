/**
 * The MD5 digests an SQS record carries, recomputed after its body or
 * attributes changed, so a consumer that checks them (as the SDK does on
 * `ReceiveMessage`) sees a consistent record.
 *
 * Source: aws-sdk-java-v2 `MessageMD5ChecksumInterceptor` (body: MD5 of the
 * UTF-8 bytes; attributes: names sorted, each as a 4-byte big-endian length and
 * UTF-8 bytes of name and data type, then 1 and the string value or 2 and the
 * binary value, each with its length), as Powertools for Java recomputes them
 * (`LargeSQSMessageProcessor.calculateMessageAttributesMd5`).
 *
 * @module messages/md5
 */
import type { Hash } from 'node:crypto';
import type { SQSMessageAttributes } from 'aws-lambda';

/** Hex MD5 of the body's UTF-8 bytes (`md5OfBody`). */
export function md5OfBody(body: string): string {
  return createMd5().update(body, 'utf8').digest('hex');
}

/** An MD5 hash; node:crypto is taken on first use, since an ESM bundle would load a static import of it at every cold start. */
function createMd5(): Hash {
  return process.getBuiltinModule('node:crypto').createHash('md5');
}

function withLength(hash: Hash, bytes: Uint8Array): void {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.byteLength);
  hash.update(length).update(bytes);
}

/**
 * Hex MD5 of the message attributes as Lambda delivers them (`md5OfMessageAttributes`),
 * or `null` when there are none.
 */
export function md5OfMessageAttributes(attributes: SQSMessageAttributes): string | null {
  const names = Object.keys(attributes).sort();
  if (names.length === 0) return null;
  const hash = createMd5();
  for (const name of names) {
    const value = attributes[name]!;
    withLength(hash, Buffer.from(name, 'utf8'));
    withLength(hash, Buffer.from(value.dataType, 'utf8'));
    if (value.stringValue !== undefined && value.stringValue !== null) {
      hash.update(Buffer.of(1));
      withLength(hash, Buffer.from(value.stringValue, 'utf8'));
    } else if (value.binaryValue !== undefined && value.binaryValue !== null) {
      hash.update(Buffer.of(2));
      withLength(hash, Buffer.from(value.binaryValue, 'base64'));
    }
  }
  return hash.digest('hex');
}
