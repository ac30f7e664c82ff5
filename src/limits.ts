/**
 * Platform numbers, each in one place with its source.
 *
 * @module limits
 */
import type { FrontDoor } from './http/events.js';

/**
 * Largest synchronous Lambda response, in bytes: the UTF-8 bytes of
 * `JSON.stringify(result === undefined ? null : result)` may be at most this
 * (6 MiB + 100 = 6,291,556). One byte more and Lambda answers
 * `Function.ResponseSizeTooLarge`, which API Gateway and Function URLs turn into
 * a 502 for the client.
 *
 * Source: aws-lambda-runtime-interface-emulator `internal/lambda/interop/model.go`
 * (`MaxPayloadSize = 6*1024*1024 + 100`) and `directinvoke.go`;
 * aws-lambda-nodejs-runtime-interface-client `src/utils/serialize.ts`.
 */
export const LAMBDA_RESPONSE_MAX_BYTES = 6 * 1024 * 1024 + 100;

/**
 * Largest response an Application Load Balancer accepts from a Lambda target, in
 * bytes. The ELB docs say "1 MB" and publish no exact count, so the reading that
 * can never 502 is used: 1,000,000 bytes (1 MB), not 1,048,576 (1 MiB).
 *
 * Source: Elastic Load Balancing User Guide, "Lambda functions as targets"
 * (`lambda-functions.html`) and "Troubleshoot your Application Load Balancers"
 * (`load-balancer-troubleshooting.md`).
 */
export const ALB_RESPONSE_MAX_BYTES = 1_000_000;

/**
 * Largest streamed response, in bytes (200 MiB = 209,715,200), for a Function
 * URL in `RESPONSE_STREAM` mode or a REST API with response streaming. A
 * streamed body is sent as its bytes: no JSON envelope, no base64.
 *
 * Source: AWS Lambda Developer Guide, "Response streaming for Lambda functions"
 * (`config-rs-invoke-furls.html`; 20 MB before 2025); API Gateway What's New
 * 2025-11 `api-gateway-response-streaming-rest-apis`.
 */
export const STREAMING_RESPONSE_MAX_BYTES = 200 * 1024 * 1024;

/**
 * Bytes of a streamed response Lambda sends as fast as they come (6 MiB =
 * 6,291,456); past them, at most {@link STREAMING_BANDWIDTH_BYTES_PER_SECOND}.
 *
 * Source: aws-lambda-runtime-interface-emulator (`ResponseBandwidthBurstSize = 6 MiB`);
 * AWS Lambda Developer Guide, "Response streaming for Lambda functions"
 * (`configuration-response-streaming.html`: "the first 6 MB ... uncapped bandwidth", then 2 MBps).
 */
export const STREAMING_BURST_BYTES = 6 * 1024 * 1024;

/**
 * Largest rate of a streamed response past its first {@link STREAMING_BURST_BYTES},
 * in bytes per second (2 MiB/s = 2,097,152), on every streaming path (Function
 * URL `RESPONSE_STREAM`, `InvokeWithResponseStream`, API Gateway REST
 * streaming, which also has its own first 10 MB then 2 MB/s).
 *
 * Source: aws-lambda-runtime-interface-emulator (`ResponseBandwidthRate = 2 MiB/s`);
 * AWS Lambda Developer Guide, `configuration-response-streaming.html`.
 */
export const STREAMING_BANDWIDTH_BYTES_PER_SECOND = 2 * 1024 * 1024;

/**
 * Integration timeout of an API Gateway REST API, in milliseconds: 29 s by
 * default (raisable for Regional and private APIs since June 2024: set
 * `integrationTimeoutInMillis`). The client gets a 504 after it.
 *
 * Source: Amazon API Gateway Developer Guide, "Amazon API Gateway quotas"
 * (`limits.html`); What's New 2024-06 "Amazon API Gateway integration timeout limit increase beyond 29 seconds".
 */
export const REST_API_INTEGRATION_TIMEOUT_MS = 29_000;

/**
 * Integration timeout of an API Gateway HTTP API, in milliseconds: 30 s, not
 * raisable. The client gets a 504 after it.
 *
 * Source: Amazon API Gateway Developer Guide, "Quotas for configuring and
 * running an HTTP API" (`http-api-quotas.html`).
 */
export const HTTP_API_INTEGRATION_TIMEOUT_MS = 30_000;

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
 * lifetime is not documented). A warning is logged at creation above it.
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

/**
 * The response limit of a front door, in bytes: 1,000,000 behind an ALB,
 * 6,291,556 otherwise; with response streaming, 209,715,200 where the front
 * door streams (a Function URL, a REST API; HTTP APIs and ALBs do not).
 *
 * @param frontDoor - the service in front of the function
 * @param streaming - whether the function streams its response
 */
export function responseMaxBytes(frontDoor: FrontDoor, streaming = false): number {
  if (frontDoor === 'alb') return ALB_RESPONSE_MAX_BYTES;
  if (streaming && (frontDoor === 'function-url' || frontDoor === 'rest-v1')) return STREAMING_RESPONSE_MAX_BYTES;
  return LAMBDA_RESPONSE_MAX_BYTES;
}

/**
 * The integration timeout of a front door, in milliseconds, or `undefined` when
 * it has none shorter than the function's own (Function URL, ALB).
 */
export function integrationTimeoutMs(frontDoor: FrontDoor): number | undefined {
  if (frontDoor === 'rest-v1') return REST_API_INTEGRATION_TIMEOUT_MS;
  if (frontDoor === 'http-v1' || frontDoor === 'http-v2') return HTTP_API_INTEGRATION_TIMEOUT_MS;
  return undefined;
}

/**
 * Largest synchronous invocation request, in bytes of the event JSON: Lambda
 * answers `RequestEntityTooLargeException` (HTTP 413) "Request must be smaller
 * than 6291456 bytes for the InvokeFunction operation" (6 MiB). The quotas page
 * says only "6 MB"; the exact count is the one in that error message, so an
 * event of 6,291,456 bytes or more is refused ("smaller than").
 *
 * Source: AWS Lambda Developer Guide, "Lambda quotas" (`gettingstarted-limits.html`,
 * invocation payload 6 MB request); the Invoke API's error text as reported in
 * JupiterOne/sdk#565 and pelmers/streetwarp-web#14.
 */
export const LAMBDA_REQUEST_MAX_BYTES = 6 * 1024 * 1024;

/**
 * Largest request body an Application Load Balancer sends to a Lambda target,
 * in bytes: "1 MB", with no exact count published; 1,000,000 is the reading
 * that can never pass locally and fail in AWS. Over it, the ALB answers 413.
 *
 * Source: Elastic Load Balancing User Guide, "Lambda functions as targets"
 * (`lambda-functions.html`) and "Troubleshoot your Application Load Balancers" (HTTP 413).
 */
export const ALB_REQUEST_BODY_MAX_BYTES = 1_000_000;

/**
 * Default Lambda function timeout, in seconds.
 *
 * Source: AWS Lambda Developer Guide, "Configure Lambda function timeout" (default 3 seconds, at most 900).
 */
export const LAMBDA_DEFAULT_TIMEOUT_SECONDS = 3;

/**
 * Largest state input or output of a Step Functions execution, in bytes: the
 * UTF-8 bytes of its JSON, 256 KiB = 262,144. A task whose result is larger
 * fails the execution with `States.DataLimitExceeded`. No increase was found.
 * `withS3Offload(handler, { maxBytes: STEP_FUNCTIONS_STATE_MAX_BYTES })` keeps
 * a task's result under it.
 *
 * Source: AWS Step Functions Developer Guide, "Step Functions service quotas"
 * (`service-quotas.html`, "Maximum input or output size for a task, state, or
 * execution"); Step Functions API Reference, `StartExecution` `input`
 * ("Length Constraints: Maximum length of 262144").
 */
export const STEP_FUNCTIONS_STATE_MAX_BYTES = 262_144;

/**
 * Largest checkpoint of a Lambda durable function (a step's, a child
 * context's or a wait-for-condition's result as its serdes wrote it), in UTF-8
 * bytes: 256 KiB = 262,144. A larger result fails the execution (child
 * contexts, map and parallel switch to re-running their children instead).
 * `s3Serdes` keeps a value inline up to this size, wrapper included, and
 * stores a larger one in S3. (A checkpoint batch is limited to 750 KB, which
 * the SDK splits itself.)
 *
 * Source: AWS Durable Execution SDK for JavaScript
 * (aws/aws-durable-execution-sdk-js), `CHECKPOINT_SIZE_LIMIT_BYTES = 256 * 1024`
 * in `src/utils/constants`, the size it checks a serialized result against;
 * AWS Lambda Developer Guide, durable functions quotas (256 KB per checkpoint).
 */
export const DURABLE_CHECKPOINT_MAX_BYTES = 262_144;

/**
 * Largest event of an asynchronous Lambda invocation (`InvocationType: 'Event'`,
 * S3 / SNS / EventBridge triggers), in bytes: "1 MB" since 2025 (256 KB before).
 * AWS publishes no exact byte count, so the reading that can never fail is used:
 * 1,000,000 bytes (1 MB), not 1,048,576 (1 MiB).
 *
 * Source: AWS Lambda API Reference, `API_Invoke` ("Payload ... up to 1 MB for
 * asynchronous invocation"); Lambda quotas page (`gettingstarted-limits.html`);
 * AWS Compute Blog 2026-01-29 "More room to build".
 */
export const ASYNC_INVOKE_MAX_BYTES = 1_000_000;

/**
 * Largest object one browser POST (or PUT) can create, in bytes: 5 GiB; the
 * `maxBytes` of `createUpload` and `s3Uploads` is at most this.
 *
 * Source: Amazon S3 User Guide, "Uploading objects" (one PUT or POST uploads at
 * most 5 GB; larger objects need a multipart upload) and "Browser-based uploads using POST".
 */
export const POST_OBJECT_MAX_BYTES = 5 * 1024 * 1024 * 1024;

/**
 * Largest SQS message, in bytes: the body's UTF-8 bytes plus every message
 * attribute's name, data type and value (1 MiB = 1,048,576 since August 2025).
 * It is also the largest `SendMessageBatch` (all entries together). A queue's
 * own `MaximumMessageSize` may be lower: read it (`GetQueueAttributes`).
 *
 * Source: What's New 2025-08 "Amazon SQS increases maximum message payload size
 * to 1 MiB" (`amazon-sqs-max-payload-size-1mib`); Amazon SQS API Reference,
 * `SetQueueAttributes` (`MaximumMessageSize`, 1,024 to 1,048,576) and
 * `SendMessageBatch` ("the sum of the lengths of all of the batched messages").
 */
export const SQS_MESSAGE_MAX_BYTES = 1_048_576;

/**
 * `MaximumMessageSize` of SQS queues created before August 2025 (256 KiB =
 * 262,144 bytes), which such a queue keeps until it is raised, and the default
 * `payloadSizeThreshold` of every Extended Client: the size that fits any queue.
 *
 * Source: Amazon SQS API Reference, `SetQueueAttributes`; awslabs/amazon-sqs-java-extended-client-lib
 * `SQSExtendedClientConstants.java` (`DEFAULT_MESSAGE_SIZE_THRESHOLD = 262144`);
 * awslabs/amazon-sqs-python-extended-client-lib `client.py`.
 */
export const SQS_LEGACY_MESSAGE_MAX_BYTES = 262_144;

/**
 * Largest SNS message, in bytes: the message's UTF-8 bytes plus its attributes'
 * names, types and values (256 KiB = 262,144; not raised). Also the largest
 * `PublishBatch` (all entries together).
 *
 * Source: Amazon SNS Developer Guide, "Publishing large messages with Amazon S3"
 * (`large-message-payloads.html`) and the SNS FAQ; SNS API Reference, `Publish`
 * (`Message`: "up to 256 KB") and `PublishBatch` ("the total aggregate size of all messages").
 */
export const SNS_MESSAGE_MAX_BYTES = 262_144;

/**
 * Most message attributes an SQS or SNS message may carry: 10. An offloaded
 * message needs one for the size attribute, so a message with 10 already
 * cannot be offloaded.
 *
 * Source: Amazon SQS Developer Guide, "Amazon SQS message attributes" ("up to
 * 10 metadata attributes"); awslabs/amazon-sqs-java-extended-client-lib
 * `SQSExtendedClientConstants.java` (`MAX_ALLOWED_ATTRIBUTES = 10 - 1`).
 */
export const MESSAGE_ATTRIBUTES_MAX = 10;
