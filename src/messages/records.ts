/**
 * Where a record keeps an offloaded message, for the three shapes Lambda
 * delivers: an SQS record (its `messageAttributes`; also an SNS message with
 * raw delivery to SQS), an SNS record (`Sns.MessageAttributes`), and an SQS
 * record whose body is an SNS envelope (SNS to SQS without raw delivery: the
 * attribute is in the envelope's `MessageAttributes`, the pointer its `Message`).
 * Pure: finding and rewriting, no I/O.
 *
 * @module messages/records
 */
import type { SNSEventRecord, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { SIZE_ATTRIBUTES } from './format.js';
import { md5OfBody, md5OfMessageAttributes } from './md5.js';

/** A record that carries a size attribute. */
export interface LargeRecord {
  readonly kind: 'sqs' | 'sns' | 'sqs-sns-envelope';
  /** The ID `batchItemFailures` names (the SQS `messageId`), or the SNS `MessageId`. */
  readonly messageId: string;
  /** The attribute's name (either). */
  readonly attribute: string;
  /** The attribute's value, unchecked. */
  readonly sizeText: unknown;
  /** The body (or the envelope's `Message`): the pointer, unchecked. */
  readonly pointerText: unknown;
  /** For `sqs-sns-envelope`: the parsed envelope. */
  readonly envelope?: Record<string, unknown>;
}

type AnyRecord = Record<string, unknown>;

function isObject(value: unknown): value is AnyRecord {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function findAttribute(attributes: unknown): string | undefined {
  if (!isObject(attributes)) return undefined;
  return SIZE_ATTRIBUTES.find((name) => attributes[name] !== undefined && attributes[name] !== null);
}

/** Whether a record is an SQS record (`eventSource: 'aws:sqs'`, or its shape). */
function isSqsRecord(record: AnyRecord): boolean {
  return record.eventSource === 'aws:sqs' || (typeof record.body === 'string' && typeof record.messageId === 'string');
}

/** Whether a record is an SNS record (`EventSource: 'aws:sns'`). */
function isSnsRecord(record: AnyRecord): record is AnyRecord & { Sns: AnyRecord } {
  return record.EventSource === 'aws:sns' && isObject(record.Sns);
}

/**
 * The large message a record carries, or `undefined` (a message that is not
 * large, or not a record of SQS or SNS): found by either attribute name.
 */
export function findLargeRecord(record: unknown): LargeRecord | undefined {
  if (!isObject(record)) return undefined;
  if (isSnsRecord(record)) {
    const attribute = findAttribute(record.Sns.MessageAttributes);
    if (attribute === undefined) return undefined;
    const value = (record.Sns.MessageAttributes as AnyRecord)[attribute];
    return {
      kind: 'sns',
      messageId: String(record.Sns.MessageId),
      attribute,
      sizeText: isObject(value) ? value.Value : undefined,
      pointerText: record.Sns.Message,
    };
  }
  if (!isSqsRecord(record)) return undefined;
  const messageId = String(record.messageId);
  const attribute = findAttribute(record.messageAttributes);
  if (attribute !== undefined) {
    const value = (record.messageAttributes as AnyRecord)[attribute];
    return { kind: 'sqs', messageId, attribute, sizeText: isObject(value) ? value.stringValue : undefined, pointerText: record.body };
  }
  const body = record.body;
  // Only a body that names an attribute can be an envelope of a large message: no parse for the others.
  if (typeof body !== 'string' || !SIZE_ATTRIBUTES.some((name) => body.includes(`"${name}"`))) return undefined;
  let envelope: unknown;
  try {
    envelope = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isObject(envelope) || envelope.Type !== 'Notification' || typeof envelope.TopicArn !== 'string') return undefined;
  const inEnvelope = findAttribute(envelope.MessageAttributes);
  if (inEnvelope === undefined) return undefined;
  const value = (envelope.MessageAttributes as AnyRecord)[inEnvelope];
  return {
    kind: 'sqs-sns-envelope',
    messageId,
    attribute: inEnvelope,
    sizeText: isObject(value) ? value.Value : undefined,
    pointerText: envelope.Message,
    envelope,
  };
}

function without(attributes: unknown, name: string): AnyRecord {
  const copy = { ...(attributes as AnyRecord) };
  delete copy[name];
  return copy;
}

/**
 * A copy of the record with the message's text in place of the pointer and
 * the size attribute removed (the input is not changed):
 * - SQS: `body`, `messageAttributes`, and both MD5s recomputed;
 * - SNS: `Sns.Message` and `Sns.MessageAttributes`;
 * - SNS envelope in SQS: the envelope's `Message` and `MessageAttributes`
 *   (dropped when empty), the envelope written back as JSON, `md5OfBody`
 *   recomputed. The envelope's `Signature` no longer matches it.
 */
export function resolvedRecord<T>(record: T, large: LargeRecord, text: string): T {
  if (large.kind === 'sns') {
    const sns = (record as SNSEventRecord).Sns;
    return { ...record, Sns: { ...sns, Message: text, MessageAttributes: without(sns.MessageAttributes, large.attribute) } };
  }
  const sqs = record as SQSRecord;
  if (large.kind === 'sqs') {
    const messageAttributes = without(sqs.messageAttributes, large.attribute) as SQSMessageAttributes;
    return {
      ...record,
      body: text,
      messageAttributes,
      md5OfBody: md5OfBody(text),
      md5OfMessageAttributes: md5OfMessageAttributes(messageAttributes),
    };
  }
  const envelope: AnyRecord = { ...large.envelope, Message: text };
  const attributes = without(envelope.MessageAttributes, large.attribute);
  if (Object.keys(attributes).length === 0) delete envelope.MessageAttributes;
  else envelope.MessageAttributes = attributes;
  const body = JSON.stringify(envelope);
  return { ...record, body, md5OfBody: md5OfBody(body) };
}
