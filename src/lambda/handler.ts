/**
 * The shape of an async Lambda handler, shared by the wrapper doors.
 *
 * @module lambda/handler
 */
import type { Context } from 'aws-lambda';

/** An async Lambda handler: `(event, context) => Promise<result>`. */
export type LambdaHandler<TEvent = unknown, TResult = unknown> = (event: TEvent, context: Context) => Promise<TResult>;
