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
  event: any;
  context: Context;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the handler's result, any shape
  response: any;
  error?: unknown;
  internal?: Record<string, unknown>;
}

/** A middleware phase function. */
export type MiddlewareLikeFn = (request: MiddyLikeRequest) => Promise<void> | void;

/** A Middy middleware object. */
export interface MiddlewareLikeObj {
  before?: MiddlewareLikeFn;
  after?: MiddlewareLikeFn;
  onError?: MiddlewareLikeFn;
}
