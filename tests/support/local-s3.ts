/**
 * A local S3 (samples/local/s3-server.ts) for the tests of a file or of a
 * `describe`, alone or behind the fault proxy (samples/local/fault-proxy.ts):
 * started in `beforeAll`, stopped in `afterAll`. The hooks own the servers, so
 * the handles have no `stop`; read them in tests and hooks, once `beforeAll` ran.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { type FaultPlan, type FaultProxy, type ProxiedRequest, startFaultProxy } from '../../samples/local/fault-proxy.js';
import { type LocalS3, type LocalS3Options, startLocalS3 } from '../../samples/local/s3-server.js';

/** The local S3 of the running tests. */
export type SuiteS3 = Omit<LocalS3, 'stop'>;

/** The fault proxy of the running tests. */
export type SuiteFaultProxy = Omit<FaultProxy, 'stop'>;

/**
 * Start something in `beforeAll` and stop it in `afterAll`.
 *
 * @returns a getter that throws outside that span
 */
function forTheTests<T>(what: string, start: () => Promise<T>, stop: (value: T) => Promise<void>): () => T {
  let value: T | undefined;
  beforeAll(async () => {
    value = await start();
  });
  afterAll(async () => {
    const started = value;
    value = undefined;
    if (started !== undefined) await stop(started);
  });
  return () => {
    if (value === undefined) throw new Error(`${what} runs from beforeAll to afterAll: read it in a test or a hook`);
    return value;
  };
}

const optionsOf = (options: LocalS3Options | (() => LocalS3Options)): LocalS3Options =>
  typeof options === 'function' ? options() : options;

function s3Handle(bucket: string, s3: () => LocalS3): SuiteS3 {
  return {
    bucket,
    get endpoint(): string {
      return s3().endpoint;
    },
    get client(): S3Client {
      return s3().client;
    },
    newClient: () => s3().newClient(),
  };
}

/**
 * Start a local S3 with `bucket` for the tests of this file (or `describe`).
 *
 * @param options - as for `startLocalS3`; a function is called in `beforeAll`
 *   (for options known only once an earlier `beforeAll` ran)
 */
export function useLocalS3(bucket: string, options: LocalS3Options | (() => LocalS3Options) = {}): SuiteS3 {
  const s3 = forTheTests('the local S3', () => startLocalS3(bucket, optionsOf(options)), (server) => server.stop());
  return s3Handle(bucket, s3);
}

/**
 * Start a local S3 with `bucket` and the fault proxy in front of it for the
 * tests of this file (or `describe`); the proxy stops first.
 *
 * @param options - the local S3's, as for {@link useLocalS3}
 * @param plan - the proxy's first plan (default: pass everything)
 */
export function useLocalS3BehindFaultProxy(
  bucket: string,
  options: LocalS3Options | (() => LocalS3Options) = {},
  plan?: FaultPlan,
): { s3: SuiteS3; proxy: SuiteFaultProxy } {
  const servers = forTheTests(
    'the local S3 and its fault proxy',
    async () => {
      const s3 = await startLocalS3(bucket, optionsOf(options));
      try {
        return { s3, proxy: await startFaultProxy(s3.endpoint, plan) };
      } catch (error) {
        await s3.stop();
        throw error;
      }
    },
    async ({ s3, proxy }) => {
      await proxy.stop();
      await s3.stop();
    },
  );
  const proxy = (): FaultProxy => servers().proxy;
  return {
    s3: s3Handle(bucket, () => servers().s3),
    proxy: {
      get endpoint(): string {
        return proxy().endpoint;
      },
      get requests(): ProxiedRequest[] {
        return proxy().requests;
      },
      openConnections: () => proxy().openConnections(),
      stalledConnections: () => proxy().stalledConnections(),
      setPlan: (next: FaultPlan) => proxy().setPlan(next),
    },
  };
}
