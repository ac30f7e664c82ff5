/**
 * Which service invoked the function, read from the event: the front door,
 * the method, the request headers the library reads, and when the request
 * arrived. Authorizer events and every other non-HTTP event are `unknown`.
 * Source of the shapes: shared FACTS.md "The five response shapes" and
 * "Middy engine behaviour" (authorizer events).
 *
 * @module http/events
 */
import { readHeader } from './headers.js';

/**
 * The service in front of the function:
 * - `rest-v1`: API Gateway REST API (payload format 1.0);
 * - `http-v1`: API Gateway HTTP API with payload format 1.0 (the v1 shape, but
 *   the HTTP API always decodes `isBase64Encoded` bodies);
 * - `http-v2`: API Gateway HTTP API with payload format 2.0;
 * - `function-url`: a Lambda Function URL (payload format 2.0);
 * - `alb`: an Application Load Balancer target;
 * - `unknown`: not an HTTP request (SDK invoke, SQS, Step Functions, a Lambda
 *   authorizer, ...): the library does nothing.
 */
export type FrontDoor = 'rest-v1' | 'http-v1' | 'http-v2' | 'function-url' | 'alb' | 'unknown';

/** What the library reads from the request. */
export interface HttpRequestInfo {
  /** The service in front of the function. */
  readonly frontDoor: FrontDoor;
  /** HTTP method, upper case (`''` when unknown). */
  readonly method: string;
  /** Whether the response must use `multiValueHeaders` (ALB with multi-value headers on). */
  readonly multiValueHeaders: boolean;
  /**
   * When API Gateway received the request, in epoch milliseconds
   * (`requestContext.requestTimeEpoch` in payload 1.0, `requestContext.timeEpoch`
   * in 2.0); `undefined` when the event does not say.
   */
  readonly arrivedAt: number | undefined;
}

const UNKNOWN: HttpRequestInfo = { frontDoor: 'unknown', method: '', multiValueHeaders: false, arrivedAt: undefined };

/** The event fields the front door is read from. */
interface HttpEventFields {
  version?: unknown;
  type?: unknown;
  methodArn?: unknown;
  routeArn?: unknown;
  httpMethod?: unknown;
  multiValueHeaders?: unknown;
  requestContext?: {
    elb?: unknown;
    http?: { method?: unknown };
    domainName?: unknown;
    requestTimeEpoch?: unknown;
    timeEpoch?: unknown;
  };
}

/** The shape of an HTTP event: `alb`, `v2` (HTTP API 2.0 or Function URL), `http-v1`, `rest-v1`, or `undefined` (not HTTP). */
type EventFormat = 'alb' | 'v2' | 'http-v1' | 'rest-v1';

/**
 * The shape of an HTTP event, with no allocation (it runs on every invocation).
 * Lambda authorizer events carry the request too, but answer the gateway, not
 * the client: `type` with a `methodArn` (REST `TOKEN` / `REQUEST`, HTTP API 1.0)
 * or a `routeArn` (HTTP API 2.0) makes an event non-HTTP.
 */
function eventFormat(event: unknown): EventFormat | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  const e = event as HttpEventFields;
  if (e.type !== undefined && (e.methodArn !== undefined || e.routeArn !== undefined)) return undefined;
  const requestContext = e.requestContext;
  if (typeof requestContext !== 'object' || requestContext === null) return undefined;
  if (requestContext.elb !== undefined) return 'alb';
  if (e.version === '2.0') return typeof requestContext.http === 'object' && requestContext.http !== null ? 'v2' : undefined;
  if (typeof e.httpMethod !== 'string') return undefined;
  return e.version === '1.0' ? 'http-v1' : 'rest-v1';
}

/**
 * The front door of a Lambda event, cheaply: `unknown` for a non-HTTP event.
 *
 * @param event - the Lambda event
 */
export function frontDoorOf(event: unknown): FrontDoor {
  const format = eventFormat(event);
  if (format === undefined) return 'unknown';
  if (format !== 'v2') return format;
  const domain = (event as HttpEventFields).requestContext!.domainName;
  return typeof domain === 'string' && domain.includes('.lambda-url.') ? 'function-url' : 'http-v2';
}

/**
 * Read the front door, method and arrival time from a Lambda event.
 *
 * @param event - the Lambda event
 * @returns what the library needs; `frontDoor: 'unknown'` for non-HTTP events
 */
export function describeRequest(event: unknown): HttpRequestInfo {
  const frontDoor = frontDoorOf(event);
  if (frontDoor === 'unknown') return UNKNOWN;
  const e = event as HttpEventFields;
  const context = e.requestContext!;
  if (frontDoor === 'http-v2' || frontDoor === 'function-url') {
    return { frontDoor, method: upper(context.http!.method), multiValueHeaders: false, arrivedAt: epoch(context.timeEpoch) };
  }
  return {
    frontDoor,
    method: upper(e.httpMethod),
    multiValueHeaders: frontDoor === 'alb' && typeof e.multiValueHeaders === 'object' && e.multiValueHeaders !== null,
    arrivedAt: frontDoor === 'alb' ? undefined : epoch(context.requestTimeEpoch),
  };
}

/**
 * A request header from any front door's event, in any casing.
 *
 * @param event - the Lambda event
 * @param lower - the header name, lower case
 */
export function requestHeader(event: unknown, lower: string): string | undefined {
  return readHeader(event, lower);
}

function upper(method: unknown): string {
  return typeof method === 'string' ? method.toUpperCase() : '';
}

function epoch(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}
