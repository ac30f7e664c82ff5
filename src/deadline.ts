/**
 * The Lambda deadline as an abort signal, so an upload that cannot finish in
 * time is abandoned while there is still time to answer.
 *
 * @module deadline
 */
import type { Context } from 'aws-lambda';

/** A signal that fires before the Lambda deadline, and the timer behind it. */
export interface Deadline {
  readonly signal: AbortSignal;
  /** Clear the timer (after the spill, so no timer outlives the invocation). */
  clear(): void;
}

/**
 * Aborts `timeoutEarlyInMillis` before the Lambda deadline, read from
 * `context.getRemainingTimeInMillis()`; at once when that time has already
 * passed; none outside Lambda (no context). A timeout would give the client a
 * bare 502 and nothing in the logs; this leaves time to answer.
 */
export function deadlineSignal(context: Context | undefined, timeoutEarlyInMillis: number): Deadline | undefined {
  const remaining = context?.getRemainingTimeInMillis?.();
  if (typeof remaining !== 'number' || !Number.isFinite(remaining)) return undefined;
  const controller = new AbortController();
  const reason = new DOMException('The Lambda deadline is near', 'TimeoutError');
  const delay = remaining - timeoutEarlyInMillis;
  if (delay <= 0) {
    controller.abort(reason);
    return { signal: controller.signal, clear: () => undefined };
  }
  const timer = setTimeout(() => controller.abort(reason), delay);
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
