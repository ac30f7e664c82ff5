/**
 * Message sizes as SQS and SNS count them: the body's UTF-8 bytes plus, for
 * every message attribute, its name, its data type and its value (a string as
 * UTF-8, a binary value as its raw bytes). The same sum the Extended Clients
 * compute (`AmazonSQSExtendedClientUtil.getMsgAttributesSize`,
 * `AmazonSNSExtendedClientUtil.getMessageAttributeSize`).
 *
 * Source: Amazon SQS Developer Guide, "Amazon SQS message attributes" ("All
 * parts of the message attribute, including name, type, and value, are
 * included in the message size restriction").
 *
 * @module messages/sizes
 */

/** A message attribute as the SQS and SNS clients of the AWS SDK v3 take it. */
export interface AttributeValue {
  /** `String`, `Number`, `Binary`, or one of those with a custom suffix (`Number.int`); counted. */
  readonly DataType?: string;
  /** The value of a `String` or `Number` attribute; its UTF-8 bytes are counted. */
  readonly StringValue?: string;
  /** The value of a `Binary` attribute; its raw bytes are counted. */
  readonly BinaryValue?: Uint8Array;
  /** Reserved by SQS; counted if given. */
  readonly StringListValues?: readonly string[];
  /** Reserved by SQS; counted if given. */
  readonly BinaryListValues?: readonly Uint8Array[];
}

/** UTF-8 bytes of a string (a lone surrogate counts 3, as its U+FFFD replacement is sent). */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Bytes of the attributes, as the service counts them. */
export function attributesBytes(attributes: Readonly<Record<string, AttributeValue | undefined>> | undefined): number {
  let total = 0;
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined) continue;
    total += utf8Bytes(name);
    if (value.DataType !== undefined) total += utf8Bytes(value.DataType);
    if (value.StringValue !== undefined) total += utf8Bytes(value.StringValue);
    if (value.BinaryValue !== undefined) total += value.BinaryValue.byteLength;
    for (const s of value.StringListValues ?? []) total += utf8Bytes(s);
    for (const b of value.BinaryListValues ?? []) total += b.byteLength;
  }
  return total;
}

/** Bytes of a message (body and attributes), as the service counts them. */
export function messageBytes(body: string, attributes: Readonly<Record<string, AttributeValue | undefined>> | undefined): number {
  return utf8Bytes(body) + attributesBytes(attributes);
}

/** How many attributes a message carries. */
export function attributeCount(attributes: Readonly<Record<string, AttributeValue | undefined>> | undefined): number {
  return Object.values(attributes ?? {}).filter((v) => v !== undefined).length;
}
