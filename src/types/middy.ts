/**
 * Middy-like types, so `@middy/core` stays an optional peer (as Powertools for
 * AWS Lambda does in `packages/commons/src/types/middy.ts`). They match the
 * request object of `@middy/core` 5, 6 and 7.
 *
 * @module types/middy
 */
import type { Context } from 'aws-lambda';

/** The request object Middy passes to each middleware. */
export interface MiddyLikeRequest {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any event type: Middy's own default
  /** The Lambda event. */
  event: any;
  /** The Lambda context. */
  context: Context;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the handler's result, any shape
  /** The handler's result, as the `after` middlewares so far left it. */
  response: any;
  /** The error being handled, in `onError`. */
  error?: unknown;
  /** Middy's internal storage shared between middlewares. */
  internal?: Record<string, unknown>;
}

/** A middleware phase function. */
export type MiddlewareLikeFn = (request: MiddyLikeRequest) => Promise<void> | void;

/** A Middy middleware object. */
export interface MiddlewareLikeObj {
  /** Runs before the handler. */
  before?: MiddlewareLikeFn;
  /** Runs after the handler, in reverse registration order. */
  after?: MiddlewareLikeFn;
  /** Runs when the handler or a middleware threw, in reverse registration order. */
  onError?: MiddlewareLikeFn;
}
