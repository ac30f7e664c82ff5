/**
 * The embedded S3 of `lambda-s3-spill dev`: s3rver 3.7 on 127.0.0.1, one bucket
 * with a CORS rule that lets any origin GET it (what `SpillBucket`'s
 * `corsAllowedOrigins` sets up), data in a temporary folder or `--data-dir`.
 *
 * s3rver is an optional peer dependency, imported here only: nothing the
 * library's entry points import reaches this module.
 *
 * @module dev/local-s3
 */
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DevSetupError } from './errors.js';

/** A running embedded S3. */
export interface EmbeddedS3 {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  readonly bucket: string;
  /** Where the objects are stored. */
  readonly directory: string;
  stop(): Promise<void>;
}

/** Any origin may GET and HEAD, any request header: what `SpillBucket`'s CORS rule allows with `corsAllowedOrigins: ['*']`. */
export const LOCAL_BUCKET_CORS = `<CORSConfiguration>
  <CORSRule>
    <AllowedOrigin>*</AllowedOrigin>
    <AllowedMethod>GET</AllowedMethod>
    <AllowedMethod>HEAD</AllowedMethod>
    <AllowedHeader>*</AllowedHeader>
    <MaxAgeSeconds>300</MaxAgeSeconds>
  </CORSRule>
</CORSConfiguration>`;

interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
}
type S3rverClass = new (options: Record<string, unknown>) => S3rverInstance;

/** s3rver, from the user's project first, then from beside this package. */
function loadS3rver(cwd: string): S3rverClass {
  for (const base of [join(cwd, 'package.json'), import.meta.url]) {
    try {
      const loaded = createRequire(base)('s3rver') as S3rverClass | { default: S3rverClass };
      return typeof loaded === 'function' ? loaded : loaded.default;
    } catch (error) {
      if ((error as { code?: string }).code !== 'MODULE_NOT_FOUND') throw error;
    }
  }
  throw new DevSetupError('lambda-s3-spill dev needs s3rver for its embedded S3: npm install --save-dev s3rver');
}

/**
 * Start the embedded S3.
 *
 * @param bucket - the bucket to create
 * @param dataDir - where to keep the objects (kept after stop); a temporary folder (deleted) when undefined
 * @param port - the port (0: any free one)
 */
export async function startEmbeddedS3(bucket: string, dataDir: string | undefined, port = 0, cwd = process.cwd()): Promise<EmbeddedS3> {
  const S3rver = loadS3rver(cwd);
  const directory = dataDir === undefined ? await mkdtemp(join(tmpdir(), 'lambda-s3-spill-dev-')) : resolve(dataDir);
  if (dataDir !== undefined) await mkdir(directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port,
    silent: true,
    directory,
    resetOnClose: dataDir === undefined,
    configureBuckets: [{ name: bucket, configs: [LOCAL_BUCKET_CORS] }],
  });
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (error) {
    if (dataDir === undefined) await rm(directory, { recursive: true, force: true });
    if ((error as { code?: string }).code === 'EADDRINUSE') {
      throw new DevSetupError(`the embedded S3 cannot listen on 127.0.0.1:${port}: the port is in use (choose another with --s3-port)`);
    }
    throw error;
  }
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    directory,
    async stop() {
      await server.close();
      if (dataDir === undefined) await rm(directory, { recursive: true, force: true });
    },
  };
}
