/**
 * Options given as a value or as a function of the request, and the one way
 * they are resolved for a request: a function that throws or returns a wrong
 * value is a `SpillConfigurationError` (generic for the client, the detail and
 * the function's own error as `cause`).
 *
 * @module options/per-request
 */
import { configurationProblem } from '../errors/base.js';
import type { MiddyLikeRequest } from '../types/middy.js';

/** A value given as is, or computed from the Middy request (per route, per tenant, ...). */
export type PerRequest<T> = T | ((request: MiddyLikeRequest) => T);

/** A switch given as is, or decided per request (per route, per client, ...). */
export type PerRequestFlag = PerRequest<boolean>;

/** Why a value is wrong (`'must return a string'`), or `undefined` when it is fine. */
export type ValueCheck = (value: unknown) => string | undefined;

/**
 * The option's value for this request: the value itself, or what its function
 * returns, checked.
 *
 * @param name - the option's name, for the detail
 * @param option - the option
 * @param request - the Middy request (or the wrapper's equivalent)
 * @param check - the check of a function's answer (a value given as is was checked at creation)
 * @throws SpillConfigurationError when the function throws or its answer fails `check`
 */
export function perRequest<T>(name: string, option: PerRequest<T>, request: MiddyLikeRequest, check: ValueCheck): T {
  if (typeof option !== 'function') return option;
  const value = callUser(name, () => (option as (request: MiddyLikeRequest) => unknown)(request));
  const problem = check(value);
  if (problem !== undefined) throw configurationProblem(`The ${name} function ${problem}`);
  return value as T;
}

/**
 * Call a user callback; what it throws becomes a `SpillConfigurationError` with
 * the original as the cause of its detail.
 *
 * @param name - the option's name
 * @param call - the call
 */
export function callUser<T>(name: string, call: () => T): T {
  try {
    return call();
  } catch (error) {
    throw configurationProblem(`The ${name} function threw`, error);
  }
}

/** The check of a switch function's answer. */
export const isBoolean: ValueCheck = (value) => (typeof value === 'boolean' ? undefined : 'must return a boolean');

/** The check of a text function's answer. */
export const isString: ValueCheck = (value) => (typeof value === 'string' ? undefined : 'must return a string');

/**
 * A switch for one response: the `X-S3-Spill` header's word when it said one,
 * else the option for this request.
 *
 * @throws SpillConfigurationError when the option's function throws or does not return a boolean
 */
export function decideFlag(
  name: string,
  fromHeader: boolean | undefined,
  option: PerRequestFlag,
  request: MiddyLikeRequest,
): boolean {
  if (fromHeader !== undefined) return fromHeader;
  return perRequest(name, option, request, isBoolean);
}

/**
 * Check a switch option when the middleware is created.
 *
 * @throws TypeError naming the option
 */
export function checkFlag(option: string, value: unknown): void {
  if (typeof value !== 'boolean' && typeof value !== 'function') {
    throw new TypeError(`${option} must be a boolean or a function of the request`);
  }
}
