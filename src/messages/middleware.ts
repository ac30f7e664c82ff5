/**
 * `largeMessages()`: the consumer as a Middy middleware.
 *
 * @module messages/middleware
 */
import { redactedCause } from '../errors/redact.js';
import { defaultLogger } from '../logging/default-logger.js';
import { emitOutcome } from '../logging/metrics.js';
import { clientOrDefault } from '../s3/client.js';
import type { MiddlewareLikeObj, MiddyLikeRequest } from '../types/middy.js';
import { resolveConsumerOptions, type LargeMessagesOptions } from './options.js';
import { deleteObject, provenanceOf, resolveEvent } from './resolve.js';

/**
 * A Middy middleware that resolves the large messages of SQS and SNS events
 * before the handler runs (see {@link resolveLargeMessages}: either attribute,
 * either class name, allowed buckets only, exact size, body byte for byte; all
 * or nothing, so a record that fails fails the invocation and nothing partial
 * reaches the handler).
 *
 * With `deleteAfterUse` (the default), each resolved record's object is
 * deleted after the handler succeeded, except the records its answer lists in
 * `batchItemFailures` (they will be delivered again); nothing is deleted when
 * the handler throws. A failed delete is logged as a warning; the lifecycle
 * rule removes the object later. To fail single records instead of the whole
 * batch, use {@link resolveLargeMessage} in a Powertools `BatchProcessor`.
 *
 * @param options - see {@link LargeMessagesOptions}
 * @returns the middleware object (`before`, and `after` with `deleteAfterUse`)
 * @throws TypeError at creation, naming an option of the wrong type or an unknown one
 * @throws LargeMessageConfigurationError at creation, when no bucket is allowed
 * @throws LargeMessagePointerError, LargeMessageLoadError, LargeMessageIntegrityError per invocation
 * @example
 * ```ts
 * import middy from '@middy/core';
 * import type { SQSEvent } from 'aws-lambda';
 * import { largeMessages } from 'lambda-s3-spill/messages';
 *
 * export const handler = middy(async (event: SQSEvent) => {
 *   for (const record of event.Records) JSON.parse(record.body);
 * }).use(largeMessages({ bucket: 'my-spill-bucket' }));
 * ```
 */
export function largeMessages(options?: LargeMessagesOptions): MiddlewareLikeObj {
  const resolved = resolveConsumerOptions(options);
  const logger = resolved.logger ?? defaultLogger(process.env);
  // What each invocation resolved, kept beside the request: a later middleware may replace the event's records.
  const found = new WeakMap<object, NonNullable<ReturnType<typeof provenanceOf>>[]>();

  const largeMessagesMiddlewareBefore = async (request: MiddyLikeRequest): Promise<void> => {
    request.event = await resolveEvent(request.event, resolved);
    const records = (request.event as { Records?: unknown } | undefined)?.Records;
    const origins = Array.isArray(records) ? records.map(provenanceOf).filter((p) => p !== undefined) : [];
    if (origins.length > 0) {
      found.set(request, origins);
      emitOutcome(resolved.metrics, logger, 'messages', 'Resolved', origins.length, origins.reduce((sum, o) => sum + o.bytes, 0));
    }
  };

  const largeMessagesMiddlewareAfter = async (request: MiddyLikeRequest): Promise<void> => {
    const resolvedRecords = found.get(request);
    if (resolvedRecords === undefined) return;
    const failures = new Set<string>();
    const answer = request.response as { batchItemFailures?: unknown } | undefined;
    if (Array.isArray(answer?.batchItemFailures)) {
      for (const failure of answer.batchItemFailures as { itemIdentifier?: unknown }[]) {
        if (typeof failure?.itemIdentifier === 'string') failures.add(failure.itemIdentifier);
      }
    }
    const client = await clientOrDefault(resolved.s3Client);
    await Promise.all(
      resolvedRecords
        .filter((origin) => !failures.has(origin.messageId))
        .map(async (origin) => {
          try {
            await deleteObject(client, origin.pointer);
          } catch (error) {
            logger.warn({
              message: 'large message object not deleted; the lifecycle rule will remove it',
              messageId: origin.messageId,
              bucket: origin.pointer.bucket,
              key: origin.pointer.key,
              error: redactedCause(error),
            });
          }
        }),
    );
  };

  return resolved.deleteAfterUse
    ? { before: largeMessagesMiddlewareBefore, after: largeMessagesMiddlewareAfter }
    : { before: largeMessagesMiddlewareBefore };
}

/**
 * Check options as `largeMessages()` and the consumer functions do, without creating anything.
 *
 * @param options - see {@link LargeMessagesOptions}
 * @throws TypeError naming a bad or unknown option; LargeMessageConfigurationError without a bucket
 * @example
 * ```ts
 * import { largeMessagesValidateOptions } from 'lambda-s3-spill/messages';
 * largeMessagesValidateOptions({ bucket: 'my-spill-bucket', deleteAfterUse: false });
 * ```
 */
export function largeMessagesValidateOptions(options?: LargeMessagesOptions): void {
  resolveConsumerOptions(options);
}
