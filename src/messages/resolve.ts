/**
 * The consumer's functions: `resolveLargeMessages` (a whole event),
 * `resolveLargeMessage` (one record, for Powertools batch processing) and
 * `deleteResolved` (one record's object, after it was processed).
 *
 * @module messages/resolve
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { clientOrDefault } from '../s3/client.js';
import { keyProblem } from '../s3/keys.js';
import { LargeMessageDeleteError, LargeMessagePointerError } from './errors.js';
import { parsePointer, parseSize, type PayloadPointer } from './format.js';
import { resolveConsumerOptions, type LargeMessagesOptions, type ResolvedConsumerOptions } from './options.js';
import { findLargeRecord, resolvedRecord } from './records.js';

/** What a resolved record came from: kept beside it (never on it) for `deleteResolved`. */
interface Provenance {
  readonly pointer: PayloadPointer;
  readonly messageId: string;
  /** The body's size, in bytes, as read (the size attribute, checked). */
  readonly bytes: number;
}

const provenance = new WeakMap<object, Provenance>();

/** Records read at once. */
const CONCURRENCY = 8;

function clientOf(options: ResolvedConsumerOptions): Promise<S3Client> {
  return clientOrDefault(options.s3Client);
}

/**
 * One record resolved with already-resolved options (the middleware's path).
 * Returns the same record when it is not a large message.
 */
export async function resolveRecord<T>(record: T, options: ResolvedConsumerOptions): Promise<T> {
  const large = findLargeRecord(record);
  if (large === undefined) return record;
  const { messageId } = large;
  const refuse = (detail: string): LargeMessagePointerError =>
    new LargeMessagePointerError(`Message ${messageId} carries ${large.attribute} but ${detail}`, { messageId });
  const bytes = parseSize(large.sizeText);
  if (bytes === undefined) throw refuse(`its value ${JSON.stringify(large.sizeText)} is not a byte count`);
  if (typeof large.pointerText !== 'string') throw refuse('no pointer body');
  const pointer = parsePointer(large.pointerText);
  if ('problem' in pointer) throw refuse(pointer.problem);
  if (!options.allowedBuckets.has(pointer.bucket)) {
    throw refuse(`its pointer names bucket ${JSON.stringify(pointer.bucket)}, which is not allowed (allowedBuckets)`);
  }
  const problem = keyProblem(pointer.key);
  if (problem !== undefined) throw refuse(`its pointer's key ${problem}`);
  const [{ loadBody }, client] = await Promise.all([import('./load.js'), clientOf(options)]);
  const text = await loadBody(client, pointer, bytes, messageId);
  const resolved = resolvedRecord(record, large, text);
  provenance.set(resolved as object, { pointer, messageId, bytes });
  return resolved;
}

/**
 * Every record of an event resolved with already-resolved options; all or
 * nothing. Returns the same event when no record is a large message.
 */
export async function resolveEvent<T>(event: T, options: ResolvedConsumerOptions): Promise<T> {
  const records = (event as { Records?: unknown } | undefined)?.Records;
  if (!Array.isArray(records) || !records.some((r) => findLargeRecord(r) !== undefined)) return event;
  const results: PromiseSettledResult<unknown>[] = new Array(records.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < records.length; i = next++) {
      try {
        results[i] = { status: 'fulfilled', value: await resolveRecord(records[i], options) };
      } catch (reason) {
        results[i] = { status: 'rejected', reason };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, records.length) }, worker));
  // The first failure in record order, whatever finished first: one record's error, never a partial event.
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  return { ...event, Records: results.map((r) => (r as PromiseFulfilledResult<unknown>).value) };
}

/** The pointer a resolved record came from, or `undefined` for any other record. */
export function provenanceOf(record: unknown): Provenance | undefined {
  return typeof record === 'object' && record !== null ? provenance.get(record) : undefined;
}

/** Delete one object (the middleware's and `deleteResolved`'s path). */
export async function deleteObject(client: S3Client, pointer: PayloadPointer): Promise<void> {
  const { DeleteObjectCommand } = await import('@aws-sdk/client-s3');
  await client.send(new DeleteObjectCommand({ Bucket: pointer.bucket, Key: pointer.key }));
}

/**
 * Resolve the large messages of an SQS or SNS event: each record that carries
 * `ExtendedPayloadSize` or `SQSLargePayloadSize` gets its body (SNS: `Message`;
 * SNS envelope in an SQS body: the envelope's `Message`) replaced by the
 * object's text, byte for byte (a leading BOM kept), the attribute removed and
 * `md5OfBody` recomputed. The pointer may have either class name, must name an
 * allowed bucket, and the object must be exactly the attribute's size. Other
 * records pass untouched, with no S3 call. All or nothing: the first record
 * (in order) that fails is thrown, and no event is returned. Never deletes (see
 * {@link deleteResolved}); the event given is not changed.
 *
 * @param event - an `SQSEvent` or `SNSEvent` (anything else is returned as it is)
 * @param options - see {@link LargeMessagesOptions}
 * @returns a copy of the event with its large messages resolved, or the same event when it has none
 * @throws TypeError / LargeMessageConfigurationError for bad options
 * @throws LargeMessagePointerError, LargeMessageLoadError, LargeMessageIntegrityError naming the record's `messageId`
 * @example
 * ```ts
 * import type { SQSEvent } from 'aws-lambda';
 * import { resolveLargeMessages } from 'lambda-s3-spill/messages';
 *
 * export const handler = async (event: SQSEvent): Promise<void> => {
 *   const resolved = await resolveLargeMessages(event, { bucket: 'my-spill-bucket' });
 *   for (const record of resolved.Records) console.log(record.body.length);
 * };
 * ```
 */
export async function resolveLargeMessages<T>(event: T, options?: LargeMessagesOptions): Promise<T> {
  return resolveEvent(event, resolveConsumerOptions(options));
}

/**
 * Resolve one record, as {@link resolveLargeMessages} does: for a Powertools
 * `BatchProcessor` record handler, so a record whose object is missing or
 * refused fails alone (it lands in `batchItemFailures`). Never deletes: call
 * {@link deleteResolved} once the record was processed.
 *
 * @param record - an `SQSRecord` or `SNSEventRecord`
 * @param options - see {@link LargeMessagesOptions}
 * @returns a copy of the record resolved, or the same record when it is not a large message
 * @throws LargeMessagePointerError, LargeMessageLoadError, LargeMessageIntegrityError naming its `messageId`
 * @example
 * ```ts
 * import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
 * import type { SQSEvent, SQSRecord, Context } from 'aws-lambda';
 * import { deleteResolved, resolveLargeMessage } from 'lambda-s3-spill/messages';
 *
 * const processor = new BatchProcessor(EventType.SQS);
 * const recordHandler = async (record: SQSRecord): Promise<void> => {
 *   const resolved = await resolveLargeMessage(record, { bucket: 'my-spill-bucket' });
 *   JSON.parse(resolved.body);
 *   await deleteResolved(resolved, { bucket: 'my-spill-bucket' });
 * };
 * export const handler = async (event: SQSEvent, context: Context) =>
 *   processPartialResponse(event, recordHandler, processor, { context });
 * ```
 */
export async function resolveLargeMessage<T>(record: T, options?: LargeMessagesOptions): Promise<T> {
  return resolveRecord(record, resolveConsumerOptions(options));
}

/**
 * Delete the object of a record that {@link resolveLargeMessage} or
 * {@link resolveLargeMessages} resolved, once it was processed (the lifecycle
 * rule removes what is never deleted). Does nothing for a record that was not
 * a large message, or with `deleteAfterUse: false`.
 *
 * @param record - a record as resolved (the copy returned, not the original)
 * @param options - see {@link LargeMessagesOptions}
 * @returns whether an object was deleted
 * @throws LargeMessageDeleteError when S3 failed
 * @example
 * ```ts
 * import type { SQSRecord } from 'aws-lambda';
 * import { deleteResolved, resolveLargeMessage } from 'lambda-s3-spill/messages';
 * declare const record: SQSRecord;
 * const resolved = await resolveLargeMessage(record, { bucket: 'my-spill-bucket' });
 * // ... process resolved.body ...
 * await deleteResolved(resolved, { bucket: 'my-spill-bucket' });
 * ```
 */
export async function deleteResolved(record: unknown, options?: LargeMessagesOptions): Promise<boolean> {
  const resolved = resolveConsumerOptions(options);
  const origin = provenanceOf(record);
  if (origin === undefined || !resolved.deleteAfterUse) return false;
  try {
    await deleteObject(await clientOf(resolved), origin.pointer);
  } catch (error) {
    throw new LargeMessageDeleteError(
      `Message ${origin.messageId}: the object (bucket ${origin.pointer.bucket}, key ${origin.pointer.key}) could not be deleted`,
      { messageId: origin.messageId },
      { cause: error },
    );
  }
  return true;
}
