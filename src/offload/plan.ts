/**
 * The decisions of offloading, and nothing else: is a result over the limit,
 * and which references of an event may be read. No S3, no clock, no user
 * callback (`always` comes in decided).
 *
 * @module offload/plan
 */
import { frontDoorOf } from '../http/events.js';
import { OffloadReferenceError } from './errors.js';
import { measurePayload, payloadBytes, type PayloadMeasure } from '../sizing/payload-bytes.js';
import { type OffloadPath, selectPaths, type ValuePath } from './paths.js';
import {
  type FoundReference,
  findReferences,
  looksLikeReference,
  OFFLOAD_RESOLVE_MAX_DEPTH,
  type OffloadPointer,
  referenceProblem,
  type ReferencePolicy,
} from './reference.js';

/** A selected value that the plan offloads, and where it is. */
export interface PlannedValue {
  /** Where it is in the result. */
  readonly path: ValuePath;
  /** The value. */
  readonly value: unknown;
  /** Bytes of its JSON text (what will be stored). */
  readonly bytes: number;
}

/** What to do with a result. */
export type OffloadPlan =
  | { readonly kind: 'pass'; readonly why: string; readonly measure?: PayloadMeasure }
  | { readonly kind: 'offload'; readonly why: 'over' | 'always'; readonly measure: PayloadMeasure }
  | {
      readonly kind: 'offload-paths';
      readonly why: 'over' | 'always';
      /** The values to store, largest first, each replaced by its own reference. */
      readonly values: readonly PlannedValue[];
      /** Bytes of the result once they are replaced. */
      readonly bytes: number;
    };

/** The `paths` option and what a reference costs, for {@link planOffload}. */
export interface PathSelection {
  readonly paths: readonly OffloadPath[];
  /** Bytes of the reference that replaces a value of `bytes` bytes (from `referenceBytes`). */
  readonly referenceBytes: (bytes: number) => number;
}

/**
 * The plan for one result: an HTTP event's result passes (it is `s3Spill`'s);
 * otherwise a result whose `JSON.stringify` is over `maxBytes` (the exact
 * size, as Lambda counts it, decided by bounds when they can) or `always` is
 * offloaded.
 *
 * With `selection` (the `paths` option), only selected values are offloaded:
 * over `maxBytes`, the largest first until the result fits; with `always`,
 * every one. When the result would still be over `maxBytes` with every
 * selected value replaced by its reference, the whole result is offloaded
 * instead. Made on sizes alone: nothing is stored before the plan is whole.
 *
 * @param event - the invocation's event
 * @param result - the handler's result
 * @param maxBytes - the limit; a result of exactly `maxBytes` passes
 * @param always - `alwaysOffload`, decided for this request
 * @param selection - the parsed `paths` and the reference size; `undefined`: the whole result
 * @throws TypeError from `JSON.stringify` (a `bigint`, a cycle)
 */
export function planOffload(event: unknown, result: unknown, maxBytes: number, always: boolean, selection?: PathSelection): OffloadPlan {
  if (isHttpEvent(event)) return { kind: 'pass', why: 'an HTTP event (s3Spill answers it)' };
  const measure = measurePayload(result, maxBytes);
  if (measure.fits && !always) return { kind: 'pass', why: 'it fits', measure };
  const why = measure.fits ? 'always' : 'over';
  if (selection === undefined) return { kind: 'offload', why, measure };
  const candidates = selectPaths(result, selection.paths)
    .filter(({ value }) => !looksLikeReference(value)) // never a reference to a reference
    .map(({ path, value }) => ({ path, value, bytes: payloadBytes(value) }))
    .filter(({ bytes }) => bytes > 0) // a function or a symbol: JSON leaves it out
    .sort((a, b) => b.bytes - a.bytes);
  let bytes = measure.exact ? measure.bytes : payloadBytes(result);
  const values: PlannedValue[] = [];
  for (const candidate of candidates) {
    const saved = candidate.bytes - selection.referenceBytes(candidate.bytes);
    if (why === 'over' && (bytes <= maxBytes || saved <= 0)) continue;
    values.push(candidate);
    bytes -= saved;
  }
  if (bytes > maxBytes) return { kind: 'offload', why, measure }; // even every selected value is not enough: the whole result
  if (values.length === 0) return { kind: 'pass', why: 'no selected value', measure };
  return { kind: 'offload-paths', why, values, bytes };
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

/**
 * The refusal of a plan, as the error to throw: generic for the caller, the
 * problem (which may name a bucket or key) as the `cause`, for the logs.
 */
export function refusal(plan: ResolvePlan): OffloadReferenceError | undefined {
  if (plan.refused === undefined) return undefined;
  const where = plan.refused.path.length === 0 ? 'the value' : `at ${JSON.stringify(plan.refused.path)}`;
  return new OffloadReferenceError('An offload reference was refused', { cause: new Error(`${where}: ${plan.refused.problem}`) });
}
