/**
 * `invalidateCached()`: remove every stored variant of a request target.
 *
 * @module cache/invalidate
 */
import { redactedCause } from '../errors/redact.js';
import { targetPrefix } from './key.js';
import { type CacheLocationOptions, resolveCacheOptions } from './options.js';
import { clientFor, deletePrefix } from './storage.js';

/** The request target whose entries go: as the client sends it (the query percent-encoded, without `?`). */
export interface CachedTarget {
  /** The path, e.g. `/cities`. */
  readonly path: string;
  /** The query string, e.g. `country=AD`. @default '' */
  readonly query?: string;
}

/**
 * Remove every stored variant (every `Vary` value, `key` answer and `vary`
 * field) of a request target: the entries of one target share a key prefix
 * (`<keyPrefix><hash of the target>/`), which is listed and deleted. Call it
 * from any function with `SpillBucket.grantCache` (it needs `s3:ListBucket` on
 * the prefix and `s3:DeleteObject`). A request whose target differs in any
 * byte (another parameter order, another encoding) is another entry.
 *
 * @param target - the path and query
 * @param options - `bucket`, `keyPrefix`, `s3Client` as given to `s3Cache`
 * @returns how many objects were deleted (a key already gone, which S3 may answer 404 for, is not counted)
 * @throws TypeError for a target without a path starting with `/`, or an unknown option
 * @throws SpillConfigurationError when there is no bucket
 * @throws Error the SDK's error (scrubbed of credentials) when S3 fails
 * @example
 * ```ts
 * import { invalidateCached } from 'lambda-s3-spill/cache';
 *
 * await invalidateCached({ path: '/cities', query: 'country=AD' }, { bucket: 'my-spill-bucket' });
 * ```
 */
export async function invalidateCached(target: CachedTarget, options: CacheLocationOptions = {}): Promise<number> {
  if (typeof target !== 'object' || target === null || typeof target.path !== 'string' || !target.path.startsWith('/')) {
    throw new TypeError("invalidateCached needs { path: '/...' }");
  }
  if (target.query !== undefined && typeof target.query !== 'string') throw new TypeError('query must be a string');
  const opts = resolveCacheOptions(options, process.env, 'invalidateCached', true);
  const client = await clientFor(opts.s3Client);
  try {
    return await deletePrefix(client, opts.bucket, targetPrefix(opts.keyPrefix, { path: target.path, query: target.query ?? '' }));
  } catch (error) {
    throw redactedCause(error);
  }
}
