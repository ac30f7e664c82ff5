/**
 * Which service invoked the function, read from the event, and the response
 * limit that follows.
 *
 * @module front-door
 */
import { ALB_RESPONSE_MAX_BYTES, LAMBDA_RESPONSE_MAX_BYTES } from './limits.js';

/**
 * The service in front of the function:
 * - `rest-v1`: API Gateway REST API, or HTTP API with payload format 1.0;
 * - `http-v2`: API Gateway HTTP API with payload format 2.0;
 * - `function-url`: a Lambda Function URL (payload format 2.0);
 * - `alb`: an Application Load Balancer target;
 * - `unknown`: not an HTTP event (SDK invoke, SQS, ...): the middleware does nothing.
 */
export type FrontDoor = 'rest-v1' | 'http-v2' | 'function-url' | 'alb' | 'unknown';

/** What the middleware needs to know about the request. */
export interface HttpRequestInfo {
  /** The service in front of the function. */
  readonly frontDoor: FrontDoor;
  /** HTTP method, upper case (`''` when unknown). */
  readonly method: string;
  /** Whether the response must use `multiValueHeaders` (ALB with multi-value headers on). */
  readonly multiValueHeaders: boolean;
}

const UNKNOWN: HttpRequestInfo = { frontDoor: 'unknown', method: '', multiValueHeaders: false };

/**
 * Read the front door and method from a Lambda event.
 *
 * @param event - the Lambda event
 * @returns what the middleware needs; `frontDoor: 'unknown'` for non-HTTP events
 * @example
 * ```ts
 * import { describeRequest } from 'lambda-s3-spill';
 * describeRequest({ version: '2.0', requestContext: { http: { method: 'GET' } } }).frontDoor; // 'http-v2'
 * ```
 */
export function describeRequest(event: unknown): HttpRequestInfo {
  const format = eventFormat(event);
  if (format === undefined) return UNKNOWN;
  const e = event as HttpEventFields;
  if (format === 'alb') {
    return {
      frontDoor: 'alb',
      method: upper(e.httpMethod),
      multiValueHeaders: typeof e.multiValueHeaders === 'object' && e.multiValueHeaders !== null,
    };
  }
  if (format === 'v2') {
    const domain = typeof e.requestContext!.domainName === 'string' ? e.requestContext!.domainName : '';
    return {
      frontDoor: domain.includes('.lambda-url.') ? 'function-url' : 'http-v2',
      method: upper(e.requestContext!.http!.method),
      multiValueHeaders: false,
    };
  }
  return { frontDoor: 'rest-v1', method: upper(e.httpMethod), multiValueHeaders: false };
}

/** The event fields the front door is read from. */
interface HttpEventFields {
  version?: unknown;
  httpMethod?: unknown;
  multiValueHeaders?: unknown;
  requestContext?: { elb?: unknown; http?: { method?: unknown }; domainName?: unknown };
}

/**
 * The shape of an HTTP event, with no allocation (it runs on every invocation):
 * `alb` (`requestContext.elb`), `v2` (`version: '2.0'` with `requestContext.http`),
 * `v1` (`httpMethod`: REST API, HTTP API payload 1.0), or `undefined` (not HTTP).
 */
function eventFormat(event: unknown): 'alb' | 'v2' | 'v1' | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const e = event as HttpEventFields;
  const requestContext = e.requestContext;
  if (typeof requestContext !== 'object' || requestContext === null) return undefined;
  if (requestContext.elb !== undefined) return 'alb';
  if (e.version === '2.0' && typeof requestContext.http === 'object' && requestContext.http !== null) return 'v2';
  return typeof e.httpMethod === 'string' ? 'v1' : undefined;
}

/**
 * The response limit for a front door, in bytes: 1,048,576 behind an ALB,
 * 6,291,556 otherwise (see `limits.ts` for the sources).
 *
 * @param frontDoor - from {@link describeRequest}
 * @returns bytes
 * @example
 * ```ts
 * import { maxBytesFor } from 'lambda-s3-spill';
 * maxBytesFor('alb'); // 1_048_576
 * ```
 */
export function maxBytesFor(frontDoor: FrontDoor): number {
  return frontDoor === 'alb' ? ALB_RESPONSE_MAX_BYTES : LAMBDA_RESPONSE_MAX_BYTES;
}

/**
 * The response limit for an event without building {@link HttpRequestInfo}: the
 * check `after` makes on every invocation, before anything else.
 *
 * @param event - the Lambda event
 * @returns bytes, or `undefined` for a non-HTTP event (the same events {@link describeRequest} calls `unknown`)
 * @example
 * ```ts
 * import { maxBytesForEvent } from 'lambda-s3-spill';
 * maxBytesForEvent({ requestContext: { elb: {} }, httpMethod: 'GET' }); // 1_048_576
 * maxBytesForEvent({ Records: [] }); // undefined
 * ```
 */
export function maxBytesForEvent(event: unknown): number | undefined {
  const format = eventFormat(event);
  if (format === undefined) return undefined;
  return format === 'alb' ? ALB_RESPONSE_MAX_BYTES : LAMBDA_RESPONSE_MAX_BYTES;
}

function upper(method: unknown): string {
  return typeof method === 'string' ? method.toUpperCase() : '';
}
