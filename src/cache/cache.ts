/**
 * One configured cache, shared by the requests of a door: the lookup before
 * the handler and the store after it. It reads the request, asks the policy
 * (`policy.ts`) what RFC 9111 allows, and carries that out on S3
 * (`storage.ts`). S3 failing or slow never fails a request: a lookup that
 * fails or runs out of time is a miss, a store that fails returns the response
 * unstored; each is logged once.
 *
 * @module cache/cache
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { configurationProblem, SpillConfigurationError } from '../errors/base.js';
import { redactedCause } from '../errors/redact.js';
import { DEFAULT_CONTENT_TYPE } from '../http/answers.js';
import { contentHeadersOf, spillBodyOf } from '../http/body.js';
import { describeRequest, type HttpRequestInfo, requestHeader } from '../http/events.js';
import { locationProblem } from '../http/location.js';
import { type HttpResult, isHttpResult, isStreamBody } from '../http/result.js';
import { responseMaxBytes } from '../limits.js';
import { beforeDeadline, deadlineSignal, millisUntilDeadline } from '../lambda/deadline.js';
import { defaultLogger, type DefaultLogger, type SpillLogger } from '../logging/default-logger.js';
import { emitOutcome } from '../logging/metrics.js';
import { callUser } from '../options/per-request.js';
import { environmentEndpointProblem } from '../s3/endpoint-guard.js';
import { classifyS3Failure } from '../s3/failure.js';
import { measurePayload, payloadBytes } from '../sizing/payload-bytes.js';
import type { MiddyLikeRequest } from '../types/middy.js';
import { hitAnswer, hitSeeOther, notModified, onlyIfCachedMiss, seeStored, withFields } from './answers.js';
import { entryMetadata, headerListOf, pointerMetadata, readFound, setsCookies, storedHeaders, type StoredEntry, strongEtag } from './entry.js';
import { baseKey, baseMaterial, headerValues, type Target, targetOf, targetPrefix, variantKey } from './key.js';
import { type ResolvedCacheOptions, resolveCacheOptions, type S3CacheOptions } from './options.js';
import {
  type CacheOutcome,
  type CacheRequest,
  cacheStatus,
  type Forward,
  freshness,
  headerValue,
  ifNoneMatchMatches,
  invalidatesTarget,
  lookupPlan,
  requestDirectives,
  storability,
} from './policy.js';
import { clientFor, deletePrefix, getBody, getObject, type Head, headObject, presign, putObject } from './storage.js';

/** What a lookup found: a hit's answer, or why the request goes to the handler. */
type Found = { readonly kind: 'hit'; readonly response: HttpResult; readonly bytes?: number } | { readonly kind: 'forward'; readonly fwd: Forward };

/** The misses a request waits out when another invocation is computing the same key. */
const COLLAPSED: ReadonlySet<Forward> = new Set(['uri-miss', 'vary-miss', 'stale']);

/** Whether `promise` settles within `millis`. */
async function settledWithin(promise: Promise<void>, millis: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, millis))));
  try {
    return await Promise.race([promise.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Keys remembered per container, in each of the two memos. */
const MEMO_MAX = 1024;

/** Remember `value` under `key`, forgetting the oldest entry past {@link MEMO_MAX}. */
function remember<V>(memo: Map<string, V>, key: string, value: V): void {
  memo.delete(key);
  memo.set(key, value);
  if (memo.size > MEMO_MAX) memo.delete(memo.keys().next().value!);
}

/** Time kept free before the function's (or the gateway's) deadline, milliseconds. */
const DEADLINE_MARGIN_MS = 1000;

/** What the lookup left for the store. */
export interface Pending {
  readonly info: HttpRequestInfo;
  readonly request: CacheRequest;
  readonly target: Target;
  /** The base key (`undefined` for a method that is not looked up). */
  readonly base: string | undefined;
  readonly fwd: Forward;
  /** The lookup failed (S3 down or late): nothing is stored either. */
  readonly failed: boolean;
  /** Lets the requests waiting for this key look again (called by the store, or by {@link Cache.release}). */
  readonly release?: () => void;
}

/** What the lookup found. */
export type Lookup =
  /** Not an HTTP request: the cache does nothing. */
  | { readonly kind: 'skip' }
  /** Answer this, without running the handler. */
  | { readonly kind: 'hit'; readonly response: HttpResult }
  /** Run the handler, then {@link Cache.store}. */
  | { readonly kind: 'miss'; readonly pending: Pending };

/** One configured cache. */
export interface Cache {
  readonly opts: ResolvedCacheOptions;
  readonly logger: SpillLogger;
  /** Before the handler. */
  lookup(request: MiddyLikeRequest): Promise<Lookup>;
  /** After the handler: store a storable response; return what to answer. */
  store(request: MiddyLikeRequest, pending: Pending): Promise<unknown>;
  /** The handler failed with no response: let the requests waiting for this key go on. */
  release(pending: Pending): void;
}

/**
 * Configure a cache.
 *
 * @throws TypeError naming an unknown option, or one of the wrong type or range
 * @throws SpillConfigurationError when there is no bucket, or a deployed function has a local S3 endpoint
 */
export function createCache(options: S3CacheOptions, env: NodeJS.ProcessEnv = process.env): Cache {
  const opts = resolveCacheOptions(options, env);
  const endpointProblem = environmentEndpointProblem(env);
  if (endpointProblem !== undefined) throw new SpillConfigurationError(endpointProblem);
  const own: DefaultLogger | undefined = opts.logger === undefined ? defaultLogger(env) : undefined;
  const logger: SpillLogger = opts.logger ?? own!;
  let client: S3Client | undefined;
  const s3 = async (): Promise<S3Client> => (client ??= await clientFor(opts.s3Client));

  /** One metric set per looked-up or stored response: `CacheHit`, `CacheMiss`, `CacheStored`, with the stored body's bytes. */
  const metric = (name: string, bytes = 0): void => emitOutcome(opts.metrics, logger, 'cache', name, 1, bytes);

  function deadlineMillis(request: MiddyLikeRequest, info: HttpRequestInfo): number | undefined {
    return millisUntilDeadline({
      context: request.context,
      info,
      integrationTimeoutInMillis: undefined,
      timeoutEarlyInMillis: DEADLINE_MARGIN_MS,
      now: Date.now(),
    });
  }

  function keyAnswer(request: MiddyLikeRequest): string | undefined {
    if (opts.key === undefined) return undefined;
    const keyFunction = opts.key;
    const answer: unknown = callUser('key', () => keyFunction(request));
    if (typeof answer !== 'string') throw configurationProblem('The key function must return a string');
    return answer;
  }

  async function lookup(request: MiddyLikeRequest): Promise<Lookup> {
    const info = describeRequest(request.event);
    if (info.frontDoor === 'unknown') return { kind: 'skip' };
    const event = request.event;
    const cacheRequest: CacheRequest = {
      method: info.method,
      cacheControl: requestDirectives(requestHeader(event, 'cache-control'), requestHeader(event, 'pragma')),
      authorization: requestHeader(event, 'authorization') !== undefined,
    };
    const target = targetOf(event, info.frontDoor);
    const plan = lookupPlan(cacheRequest);
    const looked = plan.kind === 'lookup' || plan.fwd === 'request';
    const base = looked ? baseKey(opts.keyPrefix, target, baseMaterial(keyAnswer(request), headerValues(event, opts.vary))) : undefined;
    const miss = (fwd: Forward, failed = false): Lookup => ({
      kind: 'miss',
      pending: { info, request: cacheRequest, target, base, fwd, failed },
    });
    if (plan.kind === 'forward') return miss(plan.fwd);
    const budget = Math.min(opts.lookupTimeoutInMillis, deadlineMillis(request, info) ?? Number.POSITIVE_INFINITY);
    const until = Date.now() + budget;
    let found = await attempt(request, info, cacheRequest, base!, budget);
    let release: (() => void) | undefined;
    // Collapsing (RFC 9111 section 4): a request that misses while another invocation in this container computes
    // the same key waits for its store (up to the lookup budget), then looks again.
    const collapse = found !== 'failed' && found.kind === 'forward' && info.method === 'GET' && COLLAPSED.has(found.fwd);
    if (collapse && !uncollapsed.has(base!)) {
      const leader = inFlight.get(base!);
      if (leader !== undefined) {
        // The wait counts against the lookup's budget; the look after it gets one of its own (within the deadline).
        if (await settledWithin(leader, until - Date.now())) {
          const again = Math.min(opts.lookupTimeoutInMillis, deadlineMillis(request, info) ?? Number.POSITIVE_INFINITY);
          found = await attempt(request, info, cacheRequest, base!, again);
        }
        else if (inFlight.get(base!) === leader) inFlight.delete(base!);
      } else if (!cacheRequest.cacheControl.has('only-if-cached')) {
        let settle!: () => void;
        const computing = new Promise<void>((resolve) => (settle = resolve));
        inFlight.set(base!, computing);
        release = () => {
          if (inFlight.get(base!) === computing) inFlight.delete(base!);
          settle();
        };
      }
    }
    if (found === 'failed') {
      metric('CacheMiss');
      return miss('miss', true);
    }
    if (found.kind === 'hit') {
      metric('CacheHit', found.bytes);
      return found;
    }
    metric('CacheMiss');
    if (cacheRequest.cacheControl.has('only-if-cached')) {
      return { kind: 'hit', response: onlyIfCachedMiss(info, cacheStatus(undefined, { hit: false, fwd: found.fwd })) };
    }
    return { kind: 'miss', pending: { info, request: cacheRequest, target, base, fwd: found.fwd, failed: false, release } };
  }

  /** One lookup within `budget` milliseconds; `'failed'` (logged once) when S3 failed or was late. */
  async function attempt(
    request: MiddyLikeRequest,
    info: HttpRequestInfo,
    cacheRequest: CacheRequest,
    base: string,
    budget: number,
  ): Promise<Found | 'failed'> {
    const deadline = deadlineSignal(budget);
    try {
      return await beforeDeadline(find(request, info, cacheRequest, base, deadline?.signal), deadline?.signal);
    } catch (error) {
      if (error instanceof SpillConfigurationError) throw error;
      const failure = classifyS3Failure(error, deadline?.signal);
      logger.warn('s3Cache lookup failed; the request is answered as a miss', {
        cache: { reason: failure.kind, status: failure.status, budgetMs: budget, cause: redactedCause(error) },
      });
      await own?.pending();
      return 'failed';
    } finally {
      deadline?.clear();
    }
  }

  /** The keys being computed by an invocation of this container, and the promise settled by its store. */
  const inFlight = new Map<string, Promise<void>>();
  /** Base keys whose last answer was not stored: waiting for another invocation's would gain nothing. */
  const uncollapsed = new Map<string, true>();

  /**
   * What this container learned of the entries (at most {@link MEMO_MAX} each): the
   * body size of a key, and the `Vary` fields of a base key. A warm container
   * answers a small hit with one `GetObject` (it brings the metadata too)
   * instead of a `HeadObject` and a `GetObject`; anything unexpected falls back
   * to the full lookup.
   */
  const sizeOf = new Map<string, number>();
  const varyOf = new Map<string, readonly string[]>();

  /** Find a fresh entry for the request and make the hit's answer, or say why not. */
  async function find(
    request: MiddyLikeRequest,
    info: HttpRequestInfo,
    cacheRequest: CacheRequest,
    base: string,
    signal: AbortSignal | undefined,
  ): Promise<Found> {
    const c = await s3();
    const event = request.event;
    if (info.method === 'GET' && requestHeader(event, 'if-none-match') === undefined) {
      const vary = varyOf.get(base) ?? [];
      const key = vary.length === 0 ? base : variantKey(base, headerValues(event, vary));
      const size = sizeOf.get(key);
      if (size !== undefined && size <= opts.inlineMaxBytes) {
        const got = await getObject(c, opts.bucket, key, opts.inlineMaxBytes, signal);
        const found = got === undefined ? undefined : readFound(got.metadata);
        if (found?.kind === 'entry' && found.entry.vary.join(',') === vary.join(',')) {
          return answer(c, request, info, cacheRequest, found.entry, key, got!, signal);
        }
        sizeOf.delete(key);
        varyOf.delete(base);
      }
    }
    let key = base;
    let head = await headObject(c, opts.bucket, key, signal);
    if (head === undefined) return { kind: 'forward', fwd: 'uri-miss' };
    let found = readFound(head.metadata);
    let vary: readonly string[] = [];
    if (found.kind === 'pointer') {
      vary = found.vary;
      remember(varyOf, base, vary);
      key = variantKey(base, headerValues(event, vary));
      head = await headObject(c, opts.bucket, key, signal);
      if (head === undefined) return { kind: 'forward', fwd: 'vary-miss' };
      found = readFound(head.metadata);
    } else {
      varyOf.delete(base);
    }
    if (found.kind !== 'entry') return { kind: 'forward', fwd: 'uri-miss' };
    // A stored response is served only to a request whose varied fields are the ones its key was made from.
    if (found.entry.vary.join(',') !== vary.join(',')) return { kind: 'forward', fwd: 'vary-miss' };
    remember(sizeOf, key, head.bytes);
    return answer(c, request, info, cacheRequest, found.entry, key, head, signal);
  }

  /** The answer of a stored entry: fresh or not, `304`, `HEAD`, inline (reading the body unless it came along), or `303`. */
  async function answer(
    c: S3Client,
    request: MiddyLikeRequest,
    info: HttpRequestInfo,
    cacheRequest: CacheRequest,
    entry: StoredEntry,
    key: string,
    object: Head & { readonly body?: Buffer },
    signal: AbortSignal | undefined,
  ): Promise<Found> {
    const fresh = freshness(entry, cacheRequest, Date.now());
    if (!fresh.fresh) return { kind: 'forward', fwd: 'stale' };
    const status = cacheStatus(undefined, { hit: true, ttl: fresh.ttl });
    if (ifNoneMatchMatches(requestHeader(request.event, 'if-none-match'), entry.etag)) {
      return { kind: 'hit', response: notModified(entry, info, fresh.age, status), bytes: object.bytes };
    }
    if (info.method === 'HEAD') return { kind: 'hit', response: hitAnswer(entry, info, fresh.age, status, undefined), bytes: object.bytes };
    if (object.bytes <= opts.inlineMaxBytes) {
      const body = object.body ?? (await getBody(c, opts.bucket, key, object.objectEtag, object.bytes, signal));
      if (body === undefined) return { kind: 'forward', fwd: 'stale' }; // replaced or removed since the HeadObject
      const inline = hitAnswer(entry, info, fresh.age, status, body);
      if (payloadBytes(inline) <= responseMaxBytes(info.frontDoor)) return { kind: 'hit', response: inline, bytes: object.bytes };
    }
    const url = await signed(c, key);
    return { kind: 'hit', response: hitSeeOther(entry, info, url, status), bytes: object.bytes };
  }

  async function signed(c: S3Client, key: string): Promise<string> {
    const url = await presign(c, opts.bucket, key, opts.expiresIn);
    const problem = locationProblem(url);
    if (problem !== undefined) throw configurationProblem(`The presigner (check the client endpoint) ${problem}`);
    return url;
  }

  async function store(request: MiddyLikeRequest, pending: Pending): Promise<unknown> {
    try {
      return await storeResponse(request, pending);
    } finally {
      pending.release?.();
      await own?.pending();
    }
  }

  async function storeResponse(request: MiddyLikeRequest, pending: Pending): Promise<unknown> {
    const { info } = pending;
    const raw: unknown = request.response;
    let result: HttpResult;
    if (isHttpResult(raw)) {
      if (isStreamBody(raw.body) || (raw.body !== undefined && raw.body !== null && typeof raw.body !== 'string')) return raw;
      result = raw;
    } else if (raw !== undefined && (info.frontDoor === 'http-v2' || info.frontDoor === 'function-url')) {
      // A bare 2.0 result is a 200 application/json response (shared FACTS.md, "The five response shapes").
      result = { statusCode: 200, headers: { 'Content-Type': DEFAULT_CONTENT_TYPE }, body: typeof raw === 'string' ? raw : JSON.stringify(raw) };
    } else {
      return raw;
    }
    const list = headerListOf(result, info);
    const outcome = (extra: Partial<Extract<CacheOutcome, { hit: false }>> = {}): string =>
      cacheStatus(headerValue(list, 'cache-status'), { hit: false, fwd: pending.fwd, ...extra });
    if (invalidatesTarget(info.method, result.statusCode)) {
      await invalidateTarget(request, pending);
      return withFields(result, info, { 'Cache-Status': outcome() });
    }
    if (pending.failed || pending.base === undefined) return withFields(result, info, { 'Cache-Status': outcome() });
    const now = Date.now();
    const decision = storability({
      request: pending.request,
      status: result.statusCode,
      headers: list,
      setsCookies: setsCookies(result, list),
      ttl: opts.ttl,
      now,
    });
    if (!decision.store) {
      remember(uncollapsed, pending.base, true);
      logger.debug('s3Cache did not store the response', { cache: { why: decision.why } });
      return withFields(result, info, { 'Cache-Status': outcome() });
    }
    // A `null` body is sent as no body (a 204's, often).
    const readable = result.body === null ? { ...result, body: '' } : result;
    const body = spillBodyOf(readable, contentHeadersOf(result, info.frontDoor === 'alb' ? undefined : DEFAULT_CONTENT_TYPE), false);
    if (body === undefined) return withFields(result, info, { 'Cache-Status': outcome() });
    const etag = headerValue(list, 'etag') ?? strongEtag(body.bytes);
    const headers = storedHeaders(list).filter(([name]) => name.toLowerCase() !== 'etag');
    headers.push(['ETag', etag]);
    const entry: StoredEntry = {
      status: result.statusCode,
      headers,
      storedAt: now,
      initialAge: decision.initialAge,
      lifetime: decision.lifetime,
      etag,
      vary: decision.vary,
      binary: result.isBase64Encoded === true,
    };
    const metadata = entryMetadata(entry);
    if (metadata === undefined) {
      logger.debug('s3Cache did not store the response', { cache: { why: 'its header fields are over the S3 metadata limit' } });
      return withFields(result, info, { 'Cache-Status': outcome() });
    }
    const key = decision.vary.length === 0 ? pending.base : variantKey(pending.base, headerValues(request.event, decision.vary));
    const ttl = decision.lifetime - decision.initialAge;
    const stored = withFields(result, info, { ETag: etag, 'Cache-Status': outcome({ stored: true, ttl }) });
    const deadline = deadlineSignal(deadlineMillis(request, info));
    const started = performance.now();
    let c: S3Client;
    try {
      c = await s3();
      const puts = [putObject(c, opts.bucket, key, body, metadata, deadline?.signal)];
      if (key !== pending.base) {
        puts.push(putObject(c, opts.bucket, pending.base, { bytes: Buffer.alloc(0) }, pointerMetadata(decision.vary), deadline?.signal));
      }
      await beforeDeadline(Promise.all(puts), deadline?.signal);
    } catch (error) {
      const failure = classifyS3Failure(error, deadline?.signal);
      logger.warn('s3Cache could not store the response; it is returned unstored', {
        cache: { reason: failure.kind, status: failure.status, cause: redactedCause(error) },
      });
      return withFields(result, info, { 'Cache-Status': outcome() });
    } finally {
      deadline?.clear();
    }
    metric('CacheStored', body.bytes.length);
    uncollapsed.delete(pending.base);
    remember(sizeOf, key, body.bytes.length);
    if (key === pending.base) varyOf.delete(pending.base);
    else remember(varyOf, pending.base, decision.vary);
    logger.debug('s3Cache stored a response', {
      cache: { bucket: opts.bucket, key, objectBytes: body.bytes.length, ttl, durationMs: Math.round(performance.now() - started) },
    });
    // A stored response over the front door's limit is answered from its entry, as a hit over inlineMaxBytes is.
    if (measurePayload(stored, responseMaxBytes(info.frontDoor)).fits) return stored;
    const signing = deadlineSignal(deadlineMillis(request, info));
    try {
      const url = await beforeDeadline(signed(c, key), signing?.signal);
      return seeStored(result, info, url, outcome({ stored: true, ttl }));
    } catch (error) {
      if (error instanceof SpillConfigurationError) throw error;
      logger.warn('s3Cache stored the response but could not sign its URL', { cache: { cause: redactedCause(error) } });
      return stored;
    } finally {
      signing?.clear();
    }
  }

  /** RFC 9111 section 4.4: an unsafe method's success invalidates its target's entries. */
  async function invalidateTarget(request: MiddyLikeRequest, pending: Pending): Promise<void> {
    const deadline = deadlineSignal(deadlineMillis(request, pending.info));
    try {
      await beforeDeadline(
        s3().then((c) => deletePrefix(c, opts.bucket, targetPrefix(opts.keyPrefix, pending.target), deadline?.signal)),
        deadline?.signal,
      );
    } catch (error) {
      logger.warn('s3Cache could not invalidate the target of an unsafe request', { cache: { cause: redactedCause(error) } });
    } finally {
      deadline?.clear();
    }
  }

  return { opts, logger, lookup, store, release: (pending) => pending.release?.() };
}
