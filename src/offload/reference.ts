/**
 * The offload reference (the claim check) and the pure checks around it: is
 * this value a reference, may it be resolved (bucket, key prefix, the key as S3
 * will read it, size, hash format), and where are the references in an event.
 * No S3, no clock.
 *
 * The format, version 1 (documented in `docs/offload.md`):
 *
 * ```json
 * { "lambdaS3Offload": { "version": 1, "bucket": "b", "key": "offload/20261201T120000000Z-<uuid>.json",
 *   "bytes": 1048576, "sha256": "<64 hex>", "uri": "s3://b/offload/20261201T120000000Z-<uuid>.json",
 *   "contentType": "application/json; charset=utf-8" } }
 * ```
 *
 * The well-known key is a plain identifier, so a Step Functions JSONPath
 * (`$.lambdaS3Offload.bucket`) or JSONata (`$states.input.lambdaS3Offload.key`)
 * expression can read it. A value is a reference only when it is an object
 * whose one own key is `lambdaS3Offload`; such an object that is malformed is
 * refused, never passed on as data.
 *
 * @module offload/reference
 */
import { bucketNameProblem } from '../s3/bucket-name.js';
import { readKeyProblem } from '../s3/keys.js';
import { payloadBytes } from '../sizing/payload-bytes.js';

/** The one key of a reference object. */
export const OFFLOAD_REFERENCE_KEY = 'lambdaS3Offload';

/** The version of the reference format written by this library. */
export const OFFLOAD_REFERENCE_VERSION = 1;

/** The media type of a stored value: its JSON text. */
export const OFFLOAD_CONTENT_TYPE = 'application/json; charset=utf-8';

/** What a reference points at. */
export interface OffloadPointer {
  /** Format version: `1`. */
  readonly version: 1;
  /** The bucket holding the value's JSON text. */
  readonly bucket: string;
  /** The object's key, under the key prefix. */
  readonly key: string;
  /** Size of the JSON text, in UTF-8 bytes. */
  readonly bytes: number;
  /** SHA-256 of the JSON text's UTF-8 bytes, lower-case hex. */
  readonly sha256: string;
  /** `s3://<bucket>/<key>`. */
  readonly uri: string;
  /** `application/json; charset=utf-8`. */
  readonly contentType: string;
}

/**
 * A value stored in S3 by `s3Offload()`, in its place: `{ lambdaS3Offload: { ... } }`.
 */
export interface OffloadReference {
  /** Where the value is, how big it is and its SHA-256: the one well-known key of a reference. */
  readonly [OFFLOAD_REFERENCE_KEY]: OffloadPointer;
}

/**
 * The reference to a stored value.
 *
 * @param bucket - where it is
 * @param key - its key
 * @param bytes - size of its JSON text
 * @param sha256 - hash of its JSON text, hex
 */
export function makeReference(bucket: string, key: string, bytes: number, sha256: string): OffloadReference {
  return {
    [OFFLOAD_REFERENCE_KEY]: {
      version: OFFLOAD_REFERENCE_VERSION,
      bucket,
      key,
      bytes,
      sha256,
      uri: `s3://${bucket}/${key}`,
      contentType: OFFLOAD_CONTENT_TYPE,
    },
  };
}

/** The longest key suffix `s3Offload` writes after its prefix: `<UTC timestamp>-<UUID v4>.json`. */
const KEY_SUFFIX_SAMPLE = `20261201T120000000Z-${'0'.repeat(36)}.json`;

/**
 * The size, in bytes of JSON text, of the reference `s3Offload` writes for a
 * value of `bytes` bytes under this bucket and prefix: known before anything
 * is stored (the key's suffix and the hash have a fixed length).
 */
export function referenceBytes(bucket: string, keyPrefix: string, bytes: number): number {
  return payloadBytes(makeReference(bucket, keyPrefix + KEY_SUFFIX_SAMPLE, bytes, '0'.repeat(64)));
}

/**
 * Whether `value` claims to be a reference: a plain object whose only own key
 * is `lambdaS3Offload`. Whether the claim holds is {@link referenceProblem}'s
 * question.
 */
export function looksLikeReference(value: unknown): value is { [OFFLOAD_REFERENCE_KEY]: unknown } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && keys[0] === OFFLOAD_REFERENCE_KEY;
}

/** What a consumer accepts. */
export interface ReferencePolicy {
  /** Buckets references may name. */
  readonly buckets: readonly string[];
  /** Key prefix every referenced key must start with. */
  readonly keyPrefix: string;
  /** Largest value, in bytes, that may be read. */
  readonly maxResolveBytes: number;
  /** Most references one value may hold (each place counts). */
  readonly maxReferences: number;
  /** Most bytes one value may resolve to, summed over every place a reference appears. */
  readonly maxResolveTotalBytes: number;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Why a claimed reference must not be resolved, or `undefined` when it may:
 * its shape and version, its bucket (one of `policy.buckets`), its key (under
 * `policy.keyPrefix`, and, read as S3 and every URL parser between will read
 * it, still there: no `..`, `.` or empty segment, no `\`, no control
 * character, well-formed UTF-16, at most 1,024 UTF-8 bytes), its `uri` (equal
 * to `s3://bucket/key`), its size (an integer up to `policy.maxResolveBytes`)
 * and its hash (64 lower-case hex digits).
 *
 * @param claimed - the value of the `lambdaS3Offload` key
 * @param policy - what is accepted
 * @returns the problem (for the logs; it may name the bucket or key), or `undefined`
 */
export function referenceProblem(claimed: unknown, policy: ReferencePolicy): string | undefined {
  if (typeof claimed !== 'object' || claimed === null || Array.isArray(claimed)) return 'the reference is not an object';
  const ref = claimed as Record<string, unknown>;
  if (ref.version !== OFFLOAD_REFERENCE_VERSION) return `the reference has version ${String(ref.version)}, not 1`;
  const { bucket, key, bytes, sha256, uri } = ref;
  if (typeof bucket !== 'string' || bucketNameProblem(bucket) !== undefined) return 'the reference has no valid bucket';
  if (!policy.buckets.includes(bucket)) return `the bucket ${bucket} is not one the consumer reads`;
  if (typeof key !== 'string') return 'the reference has no key';
  const keyIssue = readKeyProblem(key, policy.keyPrefix);
  if (keyIssue !== undefined) return `the key ${keyIssue}`;
  if (uri !== `s3://${bucket}/${key}`) return 'the uri does not name the bucket and key';
  if (typeof bytes !== 'number' || !Number.isSafeInteger(bytes) || bytes < 1) return 'the reference has no valid size';
  if (bytes > policy.maxResolveBytes) return `the value is ${bytes} bytes, over maxResolveBytes (${policy.maxResolveBytes})`;
  if (typeof sha256 !== 'string' || !SHA256_HEX.test(sha256)) return 'the reference has no valid sha256';
  return undefined;
}

/**
 * How deep `s3Offload` looks for references in an event, and
 * `resolveOffloaded` in a value: the value itself is depth 0, the values of
 * its properties and items depth 1, and so on; references deeper than this are
 * left as they are.
 */
export const OFFLOAD_RESOLVE_MAX_DEPTH = 8;

/** A reference found in a value, and where. */
export interface FoundReference {
  /** Property names and array indexes from the root (`[]`: the value itself). */
  readonly path: readonly (string | number)[];
  /** The value of its `lambdaS3Offload` key, not yet checked. */
  readonly claimed: unknown;
}

/**
 * The references in `value`: the value itself, or inside plain objects and
 * arrays down to `maxDepth`. A reference's own content is not searched.
 *
 * @param limit - stop once this many are found (the caller refuses more than it wants anyway)
 */
export function findReferences(value: unknown, maxDepth = OFFLOAD_RESOLVE_MAX_DEPTH, limit = Number.POSITIVE_INFINITY): FoundReference[] {
  const found: FoundReference[] = [];
  const walk = (node: unknown, path: (string | number)[], depth: number): void => {
    if (typeof node !== 'object' || node === null || found.length >= limit) return;
    if (looksLikeReference(node)) {
      found.push({ path, claimed: node[OFFLOAD_REFERENCE_KEY] });
      return;
    }
    if (depth >= maxDepth) return;
    if (Array.isArray(node)) {
      node.forEach((item, i) => walk(item, [...path, i], depth + 1));
      return;
    }
    if (!isPlainObject(node)) return;
    for (const [k, item] of Object.entries(node)) walk(item, [...path, k], depth + 1);
  };
  walk(value, [], 0);
  return found;
}

function isPlainObject(value: object): boolean {
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * `value` with the value at each path replaced, copying only the objects and
 * arrays on the way (the input is not changed).
 *
 * @param value - the root
 * @param replacements - a path (from {@link findReferences}) and what goes there
 */
export function replaceAt(value: unknown, replacements: readonly { path: readonly (string | number)[]; value: unknown }[]): unknown {
  let root = value;
  const copied = new Set<object>();
  for (const { path, value: replacement } of replacements) {
    if (path.length === 0) {
      root = replacement;
      continue;
    }
    if (!copied.has(root as object)) {
      root = shallowCopy(root as object);
      copied.add(root as object);
    }
    let node = root as Record<string | number, unknown>;
    for (let i = 0; i < path.length - 1; i++) {
      const step = path[i]!;
      let child = node[step] as object;
      if (!copied.has(child)) {
        child = shallowCopy(child);
        copied.add(child);
        setOwn(node, step, child);
      }
      node = child as Record<string | number, unknown>;
    }
    setOwn(node, path[path.length - 1]!, replacement);
  }
  return root;
}

/** Set an own property, even one named `__proto__` (JSON.parse makes those; an assignment would set the prototype). */
function setOwn(node: Record<string | number, unknown>, key: string | number, value: unknown): void {
  Object.defineProperty(node, key, { value, writable: true, enumerable: true, configurable: true });
}

function shallowCopy(value: object): object {
  return Array.isArray(value) ? [...(value as unknown[])] : { ...value };
}
