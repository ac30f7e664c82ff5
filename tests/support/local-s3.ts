/**
 * A local S3 (samples/local/s3-server.ts) for the tests of a file or of a
 * `describe`, alone or behind the fault proxy (samples/local/fault-proxy.ts):
 * started in `beforeAll`, stopped in `afterAll`. The hooks own the servers, so
 * the handles have no `stop`; read them in tests and hooks.
 */
import { type FaultPlan, type FaultProxy, startFaultProxy } from '../../samples/local/fault-proxy.js';
import { type LocalS3, type LocalS3Options, startLocalS3 } from '../../samples/local/s3-server.js';
import { handleOf, ownedByHooks } from './hooks.js';

/** The local S3 of the running tests. */
export type SuiteS3 = Omit<LocalS3, 'stop'>;

/** The fault proxy of the running tests. */
export type SuiteFaultProxy = Omit<FaultProxy, 'stop'>;

/** Options as for `startLocalS3`; a function is called in `beforeAll` (for options known only once an earlier `beforeAll` ran). */
export type SuiteS3Options = LocalS3Options | (() => LocalS3Options);

const optionsOf = (options: SuiteS3Options): LocalS3Options => (typeof options === 'function' ? options() : options);

/** Start a local S3 with `bucket` for the tests of this file (or `describe`). */
export function useLocalS3(bucket: string, options: SuiteS3Options = {}): SuiteS3 {
  return handleOf(
    ownedByHooks({ what: 'the local S3', span: 'all', start: () => startLocalS3(bucket, optionsOf(options)), stop: (s3) => s3.stop() }),
  );
}

/**
 * Start a local S3 with `bucket` and the fault proxy in front of it for the
 * tests of this file (or `describe`); the proxy stops first.
 *
 * @param plan - the proxy's first plan (default: pass everything)
 */
export function useLocalS3BehindFaultProxy(
  bucket: string,
  options: SuiteS3Options = {},
  plan?: FaultPlan,
): { s3: SuiteS3; proxy: SuiteFaultProxy } {
  const servers = ownedByHooks({
    what: 'the local S3 and its fault proxy',
    span: 'all',
    start: async () => {
      const s3 = await startLocalS3(bucket, optionsOf(options));
      try {
        return { s3, proxy: await startFaultProxy(s3.endpoint, plan) };
      } catch (error) {
        await s3.stop();
        throw error;
      }
    },
    stop: async ({ s3, proxy }) => {
      await proxy.stop();
      await s3.stop();
    },
  });
  return { s3: handleOf(() => servers().s3), proxy: handleOf(() => servers().proxy) };
}
