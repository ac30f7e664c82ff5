/**
 * `s3Uploads()`: the Middy middleware door of the request side.
 *
 * @module uploads/middleware
 */
import { redactedCause } from '../errors/redact.js';
import { defaultLogger, type SpillLogger } from '../logging/default-logger.js';
import { emitOutcome } from '../logging/metrics.js';
import { clientOrDefault } from '../s3/client.js';
import { deleteObjects } from '../s3/delete.js';
import type { MiddlewareLikeObj, MiddyLikeRequest } from '../types/middy.js';
import { resolveS3UploadsOptions, type S3UploadsOptions } from './options.js';
import { resolveEvent } from './resolve.js';
import type { S3Upload } from './upload-object.js';

/**
 * A Middy middleware that resolves upload references before the handler runs
 * (see {@link resolveUploads} for what is checked and what the handler gets):
 * file fields become {@link S3Upload} objects, and an `X-S3-Upload` request's
 * body becomes the object's content.
 *
 * **Ordering.** For file fields, register it after the body parser
 * (`httpJsonBodyParser`), so it sees the parsed body (without a parser it
 * parses a JSON string body itself). For the whole-body mode, register it
 * before the body parser, which then parses the object's content as it would
 * a request's (Middy's parsers refuse the empty body of an `X-S3-Upload`
 * request). A route taking both uses two: `accept: 'whole-body'` before the
 * parser and `accept: 'field'` after it.
 *
 * With `deleteAfter`, the objects are deleted in `after` (the handler
 * succeeded); a failed delete is logged as a warning and the response stands.
 *
 * @param options - see {@link S3UploadsOptions}; `maxBytes` is required
 * @returns the middleware object (`before`, `after`)
 * @throws TypeError at creation, naming an option of the wrong type or range
 * @throws SpillConfigurationError at creation, when there is no bucket
 * @throws InvalidUploadError (400) per request: a reference refused (nothing was read)
 * @throws UploadStorageError (502 / 503) per request: S3 failed while checking or reading
 * @example
 * ```ts
 * import middy from '@middy/core';
 * import { s3Uploads, type S3Upload } from 'lambda-s3-spill/uploads';
 *
 * export const handler = middy(async (event: { body: { photo: S3Upload } }) => ({
 *   statusCode: 200,
 *   body: JSON.stringify({ bytes: event.body.photo.size }),
 * })).use(s3Uploads({ bucket: 'my-spill-bucket', maxBytes: 100 * 1024 * 1024, contentType: 'image/*' }));
 * ```
 */
export function s3Uploads(options: S3UploadsOptions): MiddlewareLikeObj {
  const resolved = resolveS3UploadsOptions(options);
  // The one default logger of the library: Powertools, loaded on the first line; each line is written before the phase returns.
  const own = resolved.logger === undefined ? defaultLogger(process.env) : undefined;
  const logger: SpillLogger = resolved.logger ?? own!;
  const found = new WeakMap<object, readonly S3Upload[]>();

  const s3UploadsMiddlewareBefore = async (request: MiddyLikeRequest): Promise<void> => {
    const { event, uploads } = await resolveEvent(request.event, resolved, request.context);
    request.event = event;
    if (uploads.length > 0) {
      found.set(request, uploads);
      logger.info({
        message: 'upload references resolved',
        uploads: uploads.map((u) => ({ bucket: u.bucket, key: u.key, bytes: u.size, type: u.type })),
      });
      emitOutcome(resolved.metrics, logger, 'uploads', 'Resolved', uploads.length, uploads.reduce((sum, u) => sum + u.size, 0));
      await own?.pending();
    }
  };

  const s3UploadsMiddlewareAfter = async (request: MiddyLikeRequest): Promise<void> => {
    const uploads = found.get(request);
    if (uploads === undefined || !resolved.deleteAfter) return;
    // The SDK loads on first use: importing the library (and every response that fits) never loads it.
    const client = await clientOrDefault(resolved.s3Client);
    const failed = await deleteObjects(client, uploads);
    for (const { bucket, key, error } of failed) logger.warn({ message: 'upload not deleted', bucket, key, error: redactedCause(error) });
    await own?.pending();
  };

  return resolved.deleteAfter
    ? { before: s3UploadsMiddlewareBefore, after: s3UploadsMiddlewareAfter }
    : { before: s3UploadsMiddlewareBefore };
}

/**
 * Check options as `s3Uploads()` and `resolveUploads()` do, without creating anything.
 *
 * @param options - see {@link S3UploadsOptions}
 * @throws TypeError naming an option of the wrong type or range; SpillConfigurationError without a bucket
 * @example
 * ```ts
 * import { s3UploadsValidateOptions } from 'lambda-s3-spill/uploads';
 * s3UploadsValidateOptions({ bucket: 'my-spill-bucket', maxBytes: 1024 });
 * ```
 */
export function s3UploadsValidateOptions(options: S3UploadsOptions): void {
  resolveS3UploadsOptions(options);
}
