/**
 * Platform numbers, each in one place with its source.
 *
 * @module limits
 */

/**
 * Largest synchronous Lambda response, in bytes: the UTF-8 bytes of
 * `JSON.stringify(result === undefined ? null : result)` may be at most this
 * (6 MiB + 100). One byte more and Lambda answers `Function.ResponseSizeTooLarge`,
 * which API Gateway and Function URLs turn into a 502 for the client.
 *
 * Source: aws-lambda-runtime-interface-emulator `internal/lambda/interop/model.go`
 * (`MaxPayloadSize = 6*1024*1024 + 100`) and `directinvoke.go`;
 * aws-lambda-nodejs-runtime-interface-client `src/utils/serialize.ts`.
 */
export const LAMBDA_RESPONSE_MAX_BYTES = 6 * 1024 * 1024 + 100;

/**
 * Largest response an Application Load Balancer accepts from a Lambda target, in
 * bytes (1 MB; the exact count is not confirmed, so the safe 1 MiB is used).
 *
 * Source: Elastic Load Balancing docs, `lambda-functions.html` and
 * `load-balancer-troubleshooting.md`.
 */
export const ALB_RESPONSE_MAX_BYTES = 1024 * 1024;

/**
 * Longest lifetime of a SigV4 presigned URL, in seconds (7 days).
 *
 * Source: Amazon S3 User Guide, "Sharing objects with presigned URLs"; AWS re:Post
 * knowledge-center `presigned-url-s3-bucket-expiration`.
 */
export const PRESIGNED_URL_MAX_EXPIRES_IN = 604_800;

/**
 * Above this lifetime, in seconds, a URL signed with a Lambda role's temporary
 * credentials may die before `expiresIn` (those credentials expire first; their
 * lifetime is not documented). The middleware logs a warning above it.
 *
 * Source: AWS re:Post knowledge-center `presigned-url-s3-bucket-expiration`.
 */
export const PRESIGNED_URL_SAFE_EXPIRES_IN = 3_600;

/**
 * Longest S3 object key, in UTF-8 bytes.
 *
 * Source: Amazon S3 User Guide, "Naming Amazon S3 objects".
 */
export const S3_KEY_MAX_BYTES = 1024;
