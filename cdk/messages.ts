/**
 * The large-messages part of `SpillBucket` (`lambda-s3-spill/messages`): its
 * props, their checks, the lifecycle rule, and the grants. Kept apart from the
 * spill part so each can change alone.
 *
 * @module messages
 */
import { Duration } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { MESSAGES_CONTRACT } from '../src/contract.js';
import { OFFLOAD_KMS_ACTIONS } from './defaults.js';
import { SpillBucketPropsError } from './errors.js';
import { checkPrefix, checkPrefixApart, type NamedPrefix } from './validate-props.js';

/**
 * The large-messages prefix of a `SpillBucket`: where `largeMessagesPlugin()`
 * stores the bodies of SQS and SNS messages over the threshold.
 *
 * @example
 * ```ts
 * import { Duration, Stack } from 'aws-cdk-lib';
 * import { SpillBucket, type SpillMessagesProps } from 'lambda-s3-spill/cdk';
 * declare const stack: Stack;
 * const messages: SpillMessagesProps = { deadLetterRetention: Duration.days(7) };
 * new SpillBucket(stack, 'Spill', { messages });
 * ```
 */
export interface SpillMessagesProps {
  /**
   * Key prefix of the offloaded bodies (`S3_MESSAGES_PREFIX`, the plugin's
   * `keyPrefix`): its own lifecycle rule and grants. The same rules as the
   * spill `prefix`; it must not overlap the spill, offload or uploads prefix.
   * @default 'messages/'
   */
  readonly prefix?: string;
  /**
   * Retention period of the dead-letter queue the messages may end in (at most
   * 14 days, SQS's longest). A body must outlive its message: the lifecycle
   * rule keeps bodies 14 days (the longest retention of the source queue)
   * plus this, rounded up to whole days. A FIFO queue's dead-letter queue
   * counts its retention from the move; a standard queue's from the first enqueue.
   * Not allowed with an existing `bucket`.
   * @default Duration.days(14)
   */
  readonly deadLetterRetention?: Duration;
}

/** The props `SpillBucket` takes for large messages (part of `SpillBucketProps`). */
export interface SpillBucketMessagesProps {
  /**
   * A prefix for the bodies of large SQS and SNS messages (`lambda-s3-spill/messages`):
   * its own lifecycle rule (14 days plus the dead-letter retention) and the
   * grants `grantMessagesWrite` / `grantMessagesRead`. With an existing
   * `bucket`, only its `prefix` (for the grants).
   * @default - no large messages
   */
  readonly messages?: SpillMessagesProps;
}

/** Longest retention period of an SQS queue (Amazon SQS API Reference, `SetQueueAttributes`, `MessageRetentionPeriod`: 60 s to 1,209,600 s). */
export const SQS_MAX_RETENTION = Duration.days(14);

/** Defaults of {@link SpillMessagesProps}. */
export const SPILL_MESSAGES_DEFAULTS = {
  /** Key prefix of the bodies (the default of the plugin's `keyPrefix`). */
  prefix: MESSAGES_CONTRACT.defaultPrefix,
  /** The longest dead-letter retention, so the default rule (28 days) outlives any queue. */
  deadLetterRetention: SQS_MAX_RETENTION,
} as const;

/** S3 actions of a producer: `PutObject`, and `AbortMultipartUpload` for bodies stored in parts (100 MiB and more). */
export const MESSAGES_WRITE_S3_ACTIONS: readonly string[] = MESSAGES_CONTRACT.writeS3Actions;

/** S3 actions of a consumer: `GetObject`; `grantMessagesRead` adds `DeleteObject` with `deleteAfterUse` (the default). */
export const MESSAGES_READ_S3_ACTIONS: readonly string[] = MESSAGES_CONTRACT.readS3Actions;

/**
 * KMS actions on the bucket's key, when it has one: `write` (a data key per
 * object, `kms:Decrypt` for the parts of a multipart upload) and `read`; the same as offloading's.
 */
export const MESSAGES_KMS_ACTIONS = OFFLOAD_KMS_ACTIONS;

/** Why the messages grants end in a wildcard (AwsSolutions-IAM5). */
export const MESSAGES_WILDCARD_REASON =
  'The wildcard is the large-messages prefix: largeMessagesPlugin() stores each body under <prefix><uuid>, made at send time, ' +
  'so no fixed ARN can name it. The statement allows only the message actions (s3:PutObject and s3:AbortMultipartUpload to store; ' +
  's3:GetObject, and s3:DeleteObject with deleteAfterUse, to read), and only under that prefix.';

/** Days the lifecycle rule keeps bodies: 14 (the source queue's longest retention) plus the dead-letter retention, rounded up. */
export function messagesExpirationDays(messages: SpillMessagesProps): number {
  const retention = messages.deadLetterRetention ?? SPILL_MESSAGES_DEFAULTS.deadLetterRetention;
  return SQS_MAX_RETENTION.toDays() + Math.ceil(retention.toSeconds() / 86_400);
}

/**
 * Check the messages props at construction.
 *
 * @param otherPrefixes - the spill, offload, durable and uploads prefixes, by name (an uploads prefix `undefined` without uploads)
 * @throws SpillBucketPropsError naming the prop
 */
export function validateMessagesProps(messages: SpillMessagesProps, otherPrefixes: readonly NamedPrefix[], existingBucket: boolean): void {
  const prefix = messages.prefix ?? SPILL_MESSAGES_DEFAULTS.prefix;
  checkPrefix(prefix, 'messages.prefix');
  checkPrefixApart(prefix, otherPrefixes, (_name, other) => `messages.prefix "${prefix}" overlaps the prefix "${other}" (grants and lifecycle rules would cover both)`);
  if (existingBucket && messages.deadLetterRetention !== undefined) {
    throw new SpillBucketPropsError('SpillBucket: with an existing bucket, messages takes only a prefix');
  }
  const retention = messages.deadLetterRetention;
  if (retention !== undefined && !retention.isUnresolved()) {
    const seconds = retention.toSeconds();
    if (seconds < 60 || seconds > SQS_MAX_RETENTION.toSeconds()) {
      throw new SpillBucketPropsError(`SpillBucket: messages.deadLetterRetention must be from 60 seconds to 14 days (SQS's range), got ${seconds} seconds`);
    }
  }
}

/** The lifecycle rule of the messages prefix. */
export function messagesLifecycleRule(messages: SpillMessagesProps): s3.LifecycleRule {
  return {
    id: 'ExpireLargeMessages',
    prefix: messages.prefix ?? SPILL_MESSAGES_DEFAULTS.prefix,
    expiration: Duration.days(messagesExpirationDays(messages)),
    abortIncompleteMultipartUploadAfter: Duration.days(1),
  };
}
