/**
 * The Extended Client format: the pointer that replaces an offloaded body and
 * the message attribute that marks it, as the AWS Extended Clients (Java,
 * Python) and Powertools for Java write and read them. Sources in docs/messages.md.
 *
 * @module messages/format
 */

/**
 * Class name in the pointer body that the Extended Clients write today
 * (awslabs/payload-offloading-java-common-lib-for-aws `PayloadS3Pointer.java`;
 * Python `MESSAGE_POINTER_CLASS`).
 */
export const POINTER_CLASS = 'software.amazon.payloadoffloading.PayloadS3Pointer';

/**
 * Class name of pointers written before 2020 (`com.amazon.sqs.javamessaging.MessageS3Pointer`),
 * and by the Python SQS client with `use_legacy_attribute`; still read by every reader.
 */
export const LEGACY_POINTER_CLASS = 'com.amazon.sqs.javamessaging.MessageS3Pointer';

/**
 * The message attribute (type `Number`, the original body's UTF-8 byte count)
 * of an offloaded message (`SQSExtendedClientConstants.RESERVED_ATTRIBUTE_NAME`,
 * shared with the SNS client). This library writes it.
 */
export const SIZE_ATTRIBUTE = 'ExtendedPayloadSize';

/**
 * The legacy name of {@link SIZE_ATTRIBUTE} (`AmazonSQSExtendedClientUtil.LEGACY_RESERVED_ATTRIBUTE_NAME`),
 * which the Java SQS client still writes by default (`useLegacyReservedAttributeName = true`). Read, never written.
 */
export const LEGACY_SIZE_ATTRIBUTE = 'SQSLargePayloadSize';

/** Both attribute names, the current first. */
export const SIZE_ATTRIBUTES: readonly string[] = [SIZE_ATTRIBUTE, LEGACY_SIZE_ATTRIBUTE];

/** Where an offloaded body is. */
export interface PayloadPointer {
  /** The pointer's `s3BucketName`. */
  readonly bucket: string;
  /** The pointer's `s3Key`. */
  readonly key: string;
}

/**
 * The body of an offloaded message, byte for byte as Jackson writes a
 * `PayloadS3Pointer` with default typing (compact, class name first):
 * `["software.amazon.payloadoffloading.PayloadS3Pointer",{"s3BucketName":"b","s3Key":"k"}]`.
 */
export function pointerBody(pointer: PayloadPointer): string {
  return JSON.stringify([POINTER_CLASS, { s3BucketName: pointer.bucket, s3Key: pointer.key }]);
}

/**
 * Read a pointer body (either class name, any JSON spacing: Python's `json.dumps`
 * writes `", "` and `": "`).
 *
 * @returns the pointer, or why the text is not one
 */
export function parsePointer(text: string): PayloadPointer | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problem: 'the body is not JSON' };
  }
  if (!Array.isArray(value) || value.length !== 2) return { problem: 'the body is not a two-element JSON array' };
  const [className, fields] = value as [unknown, unknown];
  if (className !== POINTER_CLASS && className !== LEGACY_POINTER_CLASS) {
    return { problem: `the pointer's class is ${JSON.stringify(className)}, neither ${POINTER_CLASS} nor ${LEGACY_POINTER_CLASS}` };
  }
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return { problem: 'the pointer has no fields object' };
  const { s3BucketName, s3Key } = fields as { s3BucketName?: unknown; s3Key?: unknown };
  if (typeof s3BucketName !== 'string' || s3BucketName === '') return { problem: 'the pointer has no s3BucketName' };
  if (typeof s3Key !== 'string' || s3Key === '') return { problem: 'the pointer has no s3Key' };
  return { bucket: s3BucketName, key: s3Key };
}

/**
 * The size attribute's value: a non-negative integer in decimal, as the
 * Extended Clients write it (`Long.toString`, Python `str(len(...))`).
 *
 * @returns the byte count, or `undefined` when the text is not one
 */
export function parseSize(text: unknown): number | undefined {
  if (typeof text !== 'string' || !/^\d{1,16}$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}
