/**
 * The decisions of offloading, and nothing else: is a result over the limit,
 * and which references of an event may be read. No S3, no clock, no user
 * callback (`always` comes in decided).
 *
 * @module offload/plan
 */
import { frontDoorOf } from '../http/events.js';
import { measurePayload, type PayloadMeasure } from '../sizing/payload-bytes.js';
import {
  type FoundReference,
  findReferences,
  OFFLOAD_RESOLVE_MAX_DEPTH,
  type OffloadPointer,
  referenceProblem,
  type ReferencePolicy,
} from './reference.js';

/** What to do with a result. */
export type OffloadPlan =
  | { readonly kind: 'pass'; readonly why: string; readonly measure?: PayloadMeasure }
  | { readonly kind: 'offload'; readonly why: 'over' | 'always'; readonly measure: PayloadMeasure };

/**
 * The plan for one result: an HTTP event's result passes (it is `s3Spill`'s);
 * otherwise a result whose `JSON.stringify` is over `maxBytes` (the exact
 * size, as Lambda counts it, decided by bounds when they can) or `always` is
 * offloaded.
 *
 * @param event - the invocation's event
 * @param result - the handler's result
 * @param maxBytes - the limit; a result of exactly `maxBytes` passes
 * @param always - `alwaysOffload`, decided for this request (`undefined`: ask only when it fits, see `needsAlways`)
 * @throws TypeError from `JSON.stringify` (a `bigint`, a cycle)
 */
export function planOffload(event: unknown, result: unknown, maxBytes: number, always: boolean): OffloadPlan {
  if (isHttpEvent(event)) return { kind: 'pass', why: 'an HTTP event (s3Spill answers it)' };
  const measure = measurePayload(result, maxBytes);
  if (!measure.fits) return { kind: 'offload', why: 'over', measure };
  if (always) return { kind: 'offload', why: 'always', measure };
  return { kind: 'pass', why: 'it fits', measure };
}

/** Whether an event came through an HTTP front door (API Gateway, Function URL, ALB). */
export function isHttpEvent(event: unknown): boolean {
  return frontDoorOf(event) !== 'unknown';
}

/** The references of a value, each checked. */
export interface ResolvePlan {
  /** References that may be read, in the order found. */
  readonly allowed: readonly { readonly path: FoundReference['path']; readonly pointer: OffloadPointer }[];
  /** The first refused one and why (then nothing is read at all). */
  readonly refused?: { readonly path: FoundReference['path']; readonly problem: string };
}

/**
 * Find the references of a value (down to `OFFLOAD_RESOLVE_MAX_DEPTH`) and
 * check each against the policy, then the value as a whole: at most
 * `maxReferences` of them, and at most `maxResolveTotalBytes` once resolved,
 * every place a reference appears counted (each gets its own parse). When
 * anything is refused, nothing is to be read.
 *
 * @param value - an event, or a value a caller received
 * @param policy - buckets, key prefix, sizes, counts
 */
export function planResolve(value: unknown, policy: ReferencePolicy): ResolvePlan {
  const allowed: { path: FoundReference['path']; pointer: OffloadPointer }[] = [];
  const found = findReferences(value, OFFLOAD_RESOLVE_MAX_DEPTH, policy.maxReferences + 1);
  if (found.length > policy.maxReferences) {
    const problem = `the value holds more than maxReferences (${policy.maxReferences}) references`;
    return { allowed: [], refused: { path: found[policy.maxReferences]!.path, problem } };
  }
  let total = 0;
  for (const { path, claimed } of found) {
    const problem = referenceProblem(claimed, policy);
    if (problem !== undefined) return { allowed: [], refused: { path, problem } };
    const pointer = claimed as OffloadPointer;
    total += pointer.bytes;
    if (total > policy.maxResolveTotalBytes) {
      const over = `the references resolve to more than maxResolveTotalBytes (${policy.maxResolveTotalBytes}) bytes`;
      return { allowed: [], refused: { path, problem: over } };
    }
    allowed.push({ path, pointer });
  }
  return { allowed };
}
