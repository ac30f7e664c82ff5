/**
 * `lambda-s3-spill/messages`: SQS and SNS messages over the size limit go
 * through S3 in the Extended Client format (interoperable with the AWS
 * Extended Client libraries for Java and Python and Powertools for Java).
 * Producer: {@link largeMessagesPlugin}, an AWS SDK v3 client plugin.
 * Consumer: {@link largeMessages} (Middy), {@link resolveLargeMessages},
 * {@link resolveLargeMessage} and {@link deleteResolved}.
 *
 * @module lambda-s3-spill/messages
 */
export { largeMessagesPlugin, LARGE_MESSAGES_MIDDLEWARE_NAME, type LargeMessagesPlugin, type MiddlewareStackLike } from './plugin.js';
export { largeMessages, largeMessagesValidateOptions } from './middleware.js';
export { resolveLargeMessages, resolveLargeMessage, deleteResolved } from './resolve.js';
export type { LargeMessagesPluginOptions, LargeMessagesOptions } from './options.js';
export type { LoggerOption, MetricsOption, ObservabilityOptions, S3LocationOptions } from '../options/shared.js';
export type { MetricsLike } from '../logging/metrics.js';
export {
  POINTER_CLASS,
  LEGACY_POINTER_CLASS,
  SIZE_ATTRIBUTE,
  LEGACY_SIZE_ATTRIBUTE,
  pointerBody,
  type PayloadPointer,
} from './format.js';
export { messageBytes, type AttributeValue } from './sizes.js';
export {
  LargeMessageError,
  LargeMessageConfigurationError,
  MessageNotOffloadableError,
  LargeMessageStoreError,
  LargeMessagePointerError,
  LargeMessageIntegrityError,
  LargeMessageLoadError,
  LargeMessageDeleteError,
  type NotOffloadableReason,
  type RecordErrorDetails,
} from './errors.js';
export { SQS_MESSAGE_MAX_BYTES, SQS_LEGACY_MESSAGE_MAX_BYTES, SNS_MESSAGE_MAX_BYTES, MESSAGE_ATTRIBUTES_MAX } from '../limits.js';
export type { MiddyLikeRequest, MiddlewareLikeObj } from '../types/middy.js';
