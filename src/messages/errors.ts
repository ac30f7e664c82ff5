/**
 * Errors of the large-message utility (`lambda-s3-spill/messages`): one base
 * class, {@link LargeMessageError}, itself an `S3SpillError` (so one
 * `instanceof S3SpillError` still catches everything the library throws, across
 * loaded copies), and a subclass per kind of failure, each with `name` and
 * `cause` (an AWS SDK error is scrubbed of credentials). The message is
 * `{"message":"..."}`, as every error of the library; it never holds a body, and
 * may name a bucket, a key or a message ID (for the producer's and the
 * consumer's logs: no client reads these).
 *
 * @module messages/errors
 */
import { S3SpillError } from '../errors/base.js';
import { brandClasses } from '../errors/brand.js';

/**
 * Base class of every error of `lambda-s3-spill/messages`.
 *
 * @example
 * ```ts
 * import { LargeMessageError, resolveLargeMessages } from 'lambda-s3-spill/messages';
 * import type { SQSEvent } from 'aws-lambda';
 * declare const event: SQSEvent;
 * try {
 *   await resolveLargeMessages(event, { bucket: 'my-spill-bucket' });
 * } catch (error) {
 *   if (error instanceof LargeMessageError) console.error(error.name, error.message);
 * }
 * ```
 */
export class LargeMessageError extends S3SpillError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, { ...options, statusCode: 500 });
    this.name = 'LargeMessageError';
  }
}

/**
 * The configuration cannot work: no bucket given and `S3_SPILL_BUCKET` not set.
 * Thrown at creation (`largeMessagesPlugin()`, `largeMessages()`) or on the first
 * call of a function. Option values of the wrong type or range throw `TypeError`.
 *
 * @example
 * ```ts
 * import { largeMessagesPlugin, LargeMessageConfigurationError } from 'lambda-s3-spill/messages';
 * try { largeMessagesPlugin({}); } catch (error) {
 *   console.log(error instanceof LargeMessageConfigurationError); // true when S3_SPILL_BUCKET is not set
 * }
 * ```
 */
export class LargeMessageConfigurationError extends LargeMessageError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LargeMessageConfigurationError';
  }
}

/** Why a message cannot be sent through S3. */
export type NotOffloadableReason =
  /** It already has 10 message attributes: the size attribute would be the 11th. */
  | 'too-many-attributes'
  /** An SNS publish with `MessageStructure: 'json'` (one body per protocol): no pointer can stand for it. */
  | 'message-structure-json'
  /** It already carries `ExtendedPayloadSize` or `SQSLargePayloadSize`. */
  | 'reserved-attribute'
  /** Its attributes alone (with the size attribute) are over the threshold: S3 takes only the body. */
  | 'attributes-too-large'
  /** The batch's messages cannot be brought under the threshold together. */
  | 'batch-too-large';

/**
 * Producer: a message that must go through S3 (over the threshold, or
 * `alwaysThroughS3`) cannot. The whole `send()` fails before anything is
 * stored or sent. `reason` says why; `entryId` names the batch entry (`Id`),
 * `undefined` for a single message.
 *
 * @example
 * ```ts
 * import { MessageNotOffloadableError } from 'lambda-s3-spill/messages';
 * const error = new MessageNotOffloadableError('10 attributes already', { reason: 'too-many-attributes', entryId: 'a' });
 * console.log(error.reason, error.entryId); // too-many-attributes a
 * ```
 */
export class MessageNotOffloadableError extends LargeMessageError {
  /** Why the message cannot go through S3. */
  public readonly reason: NotOffloadableReason;
  /** The batch entry's `Id`, or `undefined` for `SendMessage` / `Publish` and for a batch as a whole. */
  public readonly entryId: string | undefined;

  public constructor(message: string, details: { reason: NotOffloadableReason; entryId?: string }, options?: ErrorOptions) {
    super(message, options);
    this.name = 'MessageNotOffloadableError';
    this.reason = details.reason;
    this.entryId = details.entryId;
  }
}

/**
 * Producer: storing a body in S3 failed (`cause`: the AWS SDK error, scrubbed
 * of credentials). Nothing was sent; bodies already stored for the same call
 * are left to the lifecycle rule.
 *
 * @example
 * ```ts
 * import { LargeMessageStoreError } from 'lambda-s3-spill/messages';
 * console.log(new LargeMessageStoreError('S3 failed', { cause: new Error('SlowDown') }).cause);
 * ```
 */
export class LargeMessageStoreError extends LargeMessageError {
  public constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LargeMessageStoreError';
  }
}

/** What a consumer error says about the record. */
export interface RecordErrorDetails {
  /** The record's `messageId` (SQS) or `Sns.MessageId` (SNS). */
  readonly messageId: string;
}

/**
 * Consumer: a record carries the size attribute but not a usable pointer: a
 * body that is not a pointer (or a pointer of another class), a size attribute
 * that is not a byte count, a key that is not a valid key, or a bucket that is
 * not allowed (`allowedBuckets`, by default the configured bucket). Nothing was read.
 *
 * @example
 * ```ts
 * import { LargeMessagePointerError } from 'lambda-s3-spill/messages';
 * const error = new LargeMessagePointerError('bucket not allowed', { messageId: 'm-1' });
 * console.log(error.messageId); // m-1
 * ```
 */
export class LargeMessagePointerError extends LargeMessageError {
  /** The record's `messageId` (SQS) or `Sns.MessageId` (SNS). */
  public readonly messageId: string;

  public constructor(message: string, details: RecordErrorDetails, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LargeMessagePointerError';
    this.messageId = details.messageId;
  }
}

/**
 * Consumer: the object a pointer names is not what the size attribute says
 * (more or fewer bytes), or is not UTF-8 text. Nothing of it reaches the handler.
 *
 * @example
 * ```ts
 * import { LargeMessageIntegrityError } from 'lambda-s3-spill/messages';
 * console.log(new LargeMessageIntegrityError('size differs', { messageId: 'm-1' }).name); // LargeMessageIntegrityError
 * ```
 */
export class LargeMessageIntegrityError extends LargeMessageError {
  /** The record's `messageId` (SQS) or `Sns.MessageId` (SNS). */
  public readonly messageId: string;

  public constructor(message: string, details: RecordErrorDetails, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LargeMessageIntegrityError';
    this.messageId = details.messageId;
  }
}

/**
 * Consumer: the object could not be read: not there (`notFound`: expired,
 * deleted after an earlier delivery, or never written) or S3 failed (`cause`:
 * the SDK error, scrubbed).
 *
 * @example
 * ```ts
 * import { LargeMessageLoadError } from 'lambda-s3-spill/messages';
 * const error = new LargeMessageLoadError('gone', { messageId: 'm-1', notFound: true });
 * console.log(error.notFound); // true
 * ```
 */
export class LargeMessageLoadError extends LargeMessageError {
  /** The record's `messageId` (SQS) or `Sns.MessageId` (SNS). */
  public readonly messageId: string;
  /** The object is not there (404, `NoSuchKey`), as opposed to S3 failing. */
  public readonly notFound: boolean;

  public constructor(message: string, details: RecordErrorDetails & { notFound: boolean }, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LargeMessageLoadError';
    this.messageId = details.messageId;
    this.notFound = details.notFound;
  }
}

/**
 * Consumer: `deleteResolved` could not delete a resolved record's object
 * (`cause`: the SDK error, scrubbed). The lifecycle rule removes it later.
 *
 * @example
 * ```ts
 * import { LargeMessageDeleteError } from 'lambda-s3-spill/messages';
 * console.log(new LargeMessageDeleteError('denied', { messageId: 'm-1' }).messageId); // m-1
 * ```
 */
export class LargeMessageDeleteError extends LargeMessageError {
  /** The record's `messageId` (SQS) or `Sns.MessageId` (SNS). */
  public readonly messageId: string;

  public constructor(message: string, details: RecordErrorDetails, options?: ErrorOptions) {
    super(message, options);
    this.name = 'LargeMessageDeleteError';
    this.messageId = details.messageId;
  }
}

// Object keys, not class names: a minifier renames classes.
brandClasses({
  LargeMessageError,
  LargeMessageConfigurationError,
  MessageNotOffloadableError,
  LargeMessageStoreError,
  LargeMessagePointerError,
  LargeMessageIntegrityError,
  LargeMessageLoadError,
  LargeMessageDeleteError,
});
