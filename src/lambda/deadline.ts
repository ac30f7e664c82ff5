/**
 * The deadline of a spill as an abort signal, so an upload that cannot finish
 * in time is abandoned while there is still time to answer: the earlier of the
 * function's own deadline and the front door's integration timeout.
 *
 * @module core/deadline
 */
import type { Context } from 'aws-lambda';
import type { HttpRequestInfo } from '../http/events.js';
import { integrationTimeoutMs } from '../limits.js';

/** A signal that fires at the deadline, and the timer behind it. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Clear the timer (after the spill, so no timer outlives the invocation). */
  clear(): void;
}

/** What the deadline is read from. */
export interface DeadlineInput {
  /** The Lambda context: `getRemainingTimeInMillis()`. */
  readonly context: Context | undefined;
  /** The request: its front door and arrival time. */
  readonly info: HttpRequestInfo;
  /** The integration timeout, when the option sets it; else the front door's. */
  readonly integrationTimeoutInMillis: number | undefined;
  /** Time kept free before the deadline. */
  readonly timeoutEarlyInMillis: number;
  /** The time now, epoch milliseconds. */
  readonly now: number;
}

/**
 * Milliseconds until the upload must stop: `timeoutEarlyInMillis` before the
 * earlier of the function's deadline (`context.getRemainingTimeInMillis()`)
 * and the gateway's (arrival + integration timeout: REST 29 s, HTTP API 30 s,
 * or `integrationTimeoutInMillis`); `undefined` when neither is known (outside
 * Lambda). A gateway's 504 reaches the client while the function goes on, so
 * its deadline counts as much as the function's. Sources: see `limits.ts`.
 */
export function millisUntilDeadline(input: DeadlineInput): number | undefined {
  const remaining = input.context?.getRemainingTimeInMillis?.();
  let until = typeof remaining === 'number' && Number.isFinite(remaining) ? remaining : undefined;
  const timeout = input.integrationTimeoutInMillis ?? integrationTimeoutMs(input.info.frontDoor);
  if (timeout !== undefined && input.info.arrivedAt !== undefined) {
    const gateway = input.info.arrivedAt + timeout - input.now;
    until = until === undefined ? gateway : Math.min(until, gateway);
  }
  return until === undefined ? undefined : until - input.timeoutEarlyInMillis;
}

/**
 * A signal that aborts after `millis` (at once when that is not positive);
 * none for `undefined`. A timeout would give the client a bare 502 (or the
 * gateway's 504) and nothing in the logs; this leaves time to answer.
 */
export function deadlineSignal(millis: number | undefined): Deadline | undefined {
  if (millis === undefined) return undefined;
  const controller = new AbortController();
  // Made when it fires: a DOMException captures a stack, and most deadlines are cleared unfired (every cache hit).
  const reason = (): DOMException => new DOMException('The deadline is near', 'TimeoutError');
  if (millis <= 0) {
    controller.abort(reason());
    return { signal: controller.signal, clear: () => undefined };
  }
  const timer = setTimeout(() => controller.abort(reason()), millis);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/**
 * Settle with `work`, or reject when `signal` fires, whichever comes first, so
 * the answer never waits past the deadline: the SDK does not watch its signal
 * while it resolves credentials (a credential endpoint that hangs), and
 * presigning takes no signal at all. Work still running is left to fail on its own.
 */
export async function beforeDeadline<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return work;
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
