/**
 * The package as a user gets it: `npm run build`, `npm pack`, then a scratch
 * project in a temporary folder installs the tarball and uses it from CommonJS
 * and ESM on Node 22 and 24, from TypeScript under three module resolutions,
 * and through esbuild bundles built as CDK's `NodejsFunction` builds them; then
 * every entry alone (main, offload, uploads, dev, browser, cdk), loaded and
 * bundled (CJS and ESM, the SDK inside and external) where only the peers that
 * entry needs are installed.
 *
 * Offline and fresh-machine safe: the scratch project's package.json names each
 * dependency and peer of the package (read from the packed package.json) as a
 * `file:` link into this project's node_modules, so `npm install --offline
 * <tarball>` needs no registry metadata (it passes with an empty cache) and
 * writes nothing outside the scratch folder. The tarball itself is extracted, a
 * real copy as from the registry. Set KEEP_PACK_SCRATCH=1 to keep the folder.
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { NODE_22, NODE_24 } from '../support/node-binaries.js';

const run = promisify(execFile);
const root = fileURLToPath(new URL('../..', import.meta.url));
const rootModules = join(root, 'node_modules');
const NODES = [
  ['22', NODE_22],
  ['24', NODE_24],
] as const;

interface Manifest {
  type?: string;
  license?: string;
  exports: Record<string, Record<string, string> | string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

let work: string;
let app: string;
let files: string[];
let manifest: Manifest;

const write = (path: string, text: string): void => {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
};
const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;
const installed = (path: string): string => readFileSync(join(app, 'node_modules', 'lambda-s3-spill', path), 'utf8');

/** Runs a file of the scratch project with one Node binary and parses the JSON it prints. */
async function runJson(node: string, file: string, env: NodeJS.ProcessEnv = {}): Promise<Record<string, unknown>> {
  const { stdout } = await run(node, [file], { cwd: app, env: { ...process.env, ...env } });
  return JSON.parse(stdout) as Record<string, unknown>;
}

beforeAll(async () => {
  await run('npm', ['run', 'build'], { cwd: root });
  work = mkdtempSync(join(tmpdir(), 'lambda-s3-spill-pack-'));
  const packed = await run('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work], { cwd: root });
  const [pack] = JSON.parse(packed.stdout) as { filename: string; files: { path: string }[] }[];
  files = pack.files.map((file) => file.path);
  manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;

  app = join(work, 'app');
  const linked = [
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    '@types/aws-lambda',
    '@types/node',
  ];
  write(
    join(app, 'package.json'),
    json({
      name: 'scratch-consumer',
      version: '1.0.0',
      private: true,
      dependencies: Object.fromEntries(linked.map((name) => [name, `file:${join(rootModules, name)}`])),
    }),
  );
  // --install-links=false (npm's default, pinned against a user config): the links stay symlinks.
  await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--install-links=false', join(work, pack.filename)], {
    cwd: app,
  });
  manifest = JSON.parse(installed('package.json')) as Manifest;
  writeSecondSdkCopy();
  writeConsumers();
}, 300_000);

afterAll(() => {
  if (work !== undefined && process.env.KEEP_PACK_SCRATCH === undefined) rmSync(work, { recursive: true, force: true });
});

describe('the tarball', () => {
  test('ships LICENSE, README, package.json and the built entries, nothing from tests, samples or bench', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'package.json',
        'dist/src/index.js',
        'dist/src/index.d.ts',
        'dist/cdk/index.js',
        'dist/cdk/index.d.ts',
      ]),
    );
    expect(files.filter((path) => /(^|\/)(tests|samples|bench)\//.test(path))).toEqual([]);
    // Source maps are off (tsconfig.build.json), so no TypeScript source ships either.
    expect(files.filter((path) => /\.[cm]?ts$/.test(path) && !/\.d\.[cm]?ts$/.test(path))).toEqual([]);
    expect(installed('LICENSE')).toMatch(/^MIT License\n\nCopyright \(c\) 2026 lambda-s3-spill contributors\n/);
    expect(manifest.license).toBe('MIT');
  });

  test('has no source map, or map reference, that points to a file the tarball lacks', () => {
    const shipped = new Set(files);
    const missing: string[] = [];
    for (const path of files.filter((file) => file.endsWith('.map'))) {
      const map = JSON.parse(installed(path)) as { sourceRoot?: string; sources: string[] };
      for (const source of map.sources) {
        const target = posix.normalize(posix.join(posix.dirname(path), map.sourceRoot ?? '', source));
        if (!shipped.has(target)) missing.push(`${path} -> ${source}`);
      }
    }
    for (const path of files.filter((file) => /\.([cm]?js|d\.[cm]?ts)$/.test(file))) {
      const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(installed(path))?.[1];
      if (url !== undefined && !url.startsWith('data:') && !shipped.has(posix.join(posix.dirname(path), url))) {
        missing.push(`${path} -> ${url}`);
      }
    }
    expect(missing).toEqual([]);
  });

  test('is ESM with types first and a default condition for require(esm); Middy peer names the tested majors', () => {
    expect(manifest.type).toBe('module');
    for (const entry of ['.', './offload', './uploads', './messages', './cache', './cdk']) {
      expect(Object.keys(manifest.exports[entry] as Record<string, string>)).toEqual(['types', 'import', 'default']);
    }
    expect(manifest.peerDependencies?.['@middy/core']).toBe('5.x || 6.x || 7.x');
  });
});

describe.each(NODES)('on Node %s', (major, node) => {
  test("CommonJS: require('lambda-s3-spill') and require('lambda-s3-spill/cdk')", async () => {
    expect(await runJson(node, 'checks/require.cjs')).toEqual({
      node: expect.stringMatching(new RegExp(`^${major}\\.`)),
      s3Spill: 'function',
      after: 'function',
      spillBucketIsClass: true,
      connect: 'function',
      version: expect.any(String),
    });
  });

  test("ESM: import { s3Spill } from 'lambda-s3-spill' and SpillBucket from 'lambda-s3-spill/cdk'", async () => {
    expect(await runJson(node, 'checks/import.mjs')).toEqual({
      node: expect.stringMatching(new RegExp(`^${major}\\.`)),
      s3Spill: 'function',
      after: 'function',
      spillBucketIsClass: true,
      connect: 'function',
    });
  });
});

describe('TypeScript consumers', () => {
  let results: Record<string, string[]>;

  beforeAll(async () => {
    const configs = Object.keys(TS_CONFIGS).map((name) => `tsconfig.${name}.json`);
    const { stdout } = await run(
      NODE_22,
      [join(root, 'tests/packaging/typecheck-consumers.cjs'), join(rootModules, 'typescript'), ...configs],
      { cwd: join(app, 'ts'), maxBuffer: 16 * 1024 * 1024 },
    );
    results = JSON.parse(stdout) as Record<string, string[]>;
  }, 180_000);

  test.each([
    ['node16', 'module node16: ESM files (.mts) importing every entry'],
    ['nodenext', 'module nodenext: ESM files (.mts) and CommonJS files (.cts), every entry'],
    ['bundler', 'module esnext, moduleResolution bundler: every entry'],
    ['strict', 'nodenext with skipLibCheck off: the main entry and the declarations it pulls in'],
  ])('%s typechecks (%s)', (name) => {
    expect(results[`tsconfig.${name}.json`]).toEqual([]);
  });

  test('an S3Client from a second copy of the SDK is accepted as s3Client and signingClient', () => {
    // The control proves the copy is a different type to TypeScript, as another SDK version is.
    expect(results['tsconfig.second-sdk-control.json']).toEqual([expect.stringMatching(/^second-sdk-control\.mts\(4,14\): TS2322 /)]);
    expect(results['tsconfig.second-sdk.json']).toEqual([]);
  });
});

describe('esbuild bundles, as NodejsFunction builds them', () => {
  const esbuild = join(rootModules, 'esbuild', 'bin', 'esbuild');
  const common = ['handler.ts', '--bundle', '--platform=node', '--target=node22', '--minify', '--log-level=warning'];
  const bundles = {
    cjs: [...common, '--format=cjs', '--outfile=out/cjs/index.js', '--metafile=out/cjs.json'],
    esm: [
      ...common,
      '--format=esm',
      '--outfile=out/esm/index.mjs',
      '--metafile=out/esm.json',
      "--banner:js=import { createRequire } from 'module'; const require = createRequire(import.meta.url);",
    ],
    // NodejsFunction's default for Node 18+ runtimes: the runtime provides @aws-sdk/*.
    'cjs-sdk-external': [...common, '--format=cjs', '--external:@aws-sdk/*', '--outfile=out/cjs-sdk-external/index.js', '--metafile=out/cjs-sdk-external.json'],
  };
  const outfile = { cjs: 'out/cjs/index.js', esm: 'out/esm/index.mjs', 'cjs-sdk-external': 'out/cjs-sdk-external/index.js' };
  type Format = keyof typeof bundles;

  beforeAll(async () => {
    await Promise.all(Object.values(bundles).map((args) => run(esbuild, args, { cwd: app })));
  }, 120_000);

  test.each(Object.keys(bundles) as Format[])('%s: the package comes from the tarball, and one copy of the SDK', (format) => {
    const meta = JSON.parse(readFileSync(join(app, `out/${format}.json`), 'utf8')) as { inputs: Record<string, unknown> };
    const inputs = Object.keys(meta.inputs);
    const packageRoots = new Set(
      inputs.map((input) => /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input)?.[1]).filter((dir) => dir !== undefined),
    );
    const copies = (name: string): string[] => [...packageRoots].filter((dir) => dir.endsWith(`node_modules/${name}`));
    expect(copies('lambda-s3-spill')).toEqual(['node_modules/lambda-s3-spill']);
    expect(inputs.filter((input) => input.includes('/src/') && !input.includes('node_modules/'))).toEqual([]);
    const sdkCopies = format === 'cjs-sdk-external' ? 0 : 1;
    expect(copies('@aws-sdk/client-s3')).toHaveLength(sdkCopies);
    expect(copies('@smithy/core')).toHaveLength(sdkCopies);
  });

  describe.each(NODES)('on Node %s', (major, node) => {
    test.each(Object.keys(bundles) as Format[])('%s: the bundle runs and returns a fitting result untouched', async (format) => {
      expect(await runJson(node, 'checks/run-handler.cjs', { HANDLER_FILE: outfile[format] })).toEqual({
        node: expect.stringMatching(new RegExp(`^${major}\\.`)),
        result: { statusCode: 200, headers: { 'content-type': 'application/json' }, body: '{"hello":"world"}' },
      });
    });
  });
});

test('an S3Client from a second copy of the SDK spills at run time (PutObject, then a signed 303)', async () => {
  // NODE_PATH lets the copy (loaded with require) find the SDK packages it was not copied with.
  const result = await runJson(NODE_22, 'checks/second-sdk-runtime.mjs', { NODE_PATH: rootModules });
  expect(result).toEqual({
    secondCopy: true,
    statusCode: 303,
    signed: true,
    puts: [{ method: 'PUT', path: result.locationPath, bytes: 1000 }],
    locationPath: expect.stringMatching(/^\/spill-bucket\/spill\//),
  });
});

/**
 * Every entry alone: a handler that uses one entry, in a project of its own
 * where only the peers that entry needs are installed (no `@aws-sdk/s3-presigned-post`
 * beside the spill, no CDK beside the offload, ...). The package is a copy of
 * the one the scratch install extracted (one install, reused); each peer is a
 * link into this project's node_modules, so the peers' own dependencies resolve
 * there while the package sees only what its folder holds.
 */
const ENTRIES = {
  main: {
    specifier: 'lambda-s3-spill',
    peers: ['@aws-sdk/client-s3', '@aws-sdk/lib-storage', '@aws-sdk/s3-request-presigner', '@aws-lambda-powertools/logger'],
    handler: `import { withS3Spill } from 'lambda-s3-spill';
export const handler = withS3Spill(async () => ({ statusCode: 200, body: 'fits' }), { bucket: 'spill-bucket' });
export const check = async () => (await handler(HTTP_EVENT, CONTEXT)).body;
`,
    expected: 'fits',
  },
  offload: {
    specifier: 'lambda-s3-spill/offload',
    peers: ['@aws-sdk/client-s3', '@aws-sdk/lib-storage', '@aws-lambda-powertools/logger'],
    handler: `import { withS3Offload } from 'lambda-s3-spill/offload';
export const handler = withS3Offload(async () => ({ rows: 2 }), { bucket: 'spill-bucket' });
export const check = async () => (await handler({ source: 'sdk' }, CONTEXT)).rows;
`,
    expected: 2,
  },
  uploads: {
    specifier: 'lambda-s3-spill/uploads',
    peers: ['@aws-sdk/client-s3', '@aws-sdk/s3-presigned-post', '@aws-lambda-powertools/logger'],
    handler: `import { resolveUploads } from 'lambda-s3-spill/uploads';
export const check = async () => (await resolveUploads({ ...HTTP_EVENT, body: '{"a":1}' }, { bucket: 'spill-bucket', maxBytes: 1024 }, CONTEXT)).body;
`,
    expected: '{"a":1}',
  },
  cache: {
    specifier: 'lambda-s3-spill/cache',
    peers: ['@aws-sdk/client-s3', '@aws-sdk/lib-storage', '@aws-sdk/s3-request-presigner', '@aws-lambda-powertools/logger'],
    handler: `import { withS3Cache } from 'lambda-s3-spill/cache';
export const handler = withS3Cache(async () => ({ rows: 3 }), { bucket: 'spill-bucket', ttl: 60 });
export const check = async () => (await handler({ source: 'sdk' }, CONTEXT)).rows;
`,
    expected: 3,
  },
  messages: {
    specifier: 'lambda-s3-spill/messages',
    peers: ['@aws-sdk/client-s3', '@aws-sdk/lib-storage', '@aws-lambda-powertools/logger'],
    handler: `import { largeMessagesPlugin, resolveLargeMessages } from 'lambda-s3-spill/messages';
const SQS_EVENT = { Records: [{ messageId: 'm-1', eventSource: 'aws:sqs', body: 'small', messageAttributes: {}, md5OfBody: 'x' }] };
export const check = async () => typeof largeMessagesPlugin({ bucket: 'spill-bucket' }).applyToStack + ' ' + (await resolveLargeMessages(SQS_EVENT, { bucket: 'spill-bucket' })).Records[0].body;
`,
    expected: 'function small',
  },
  dev: {
    specifier: 'lambda-s3-spill/dev',
    peers: [],
    handler: `import { deploymentProblems, startDevServer } from 'lambda-s3-spill/dev';
export const check = async () => typeof startDevServer + ' ' + deploymentProblems({ S3_SPILL_BUCKET: 'spill-bucket' }).length;
`,
    expected: 'function 0',
  },
  browser: {
    specifier: 'lambda-s3-spill/browser',
    peers: [],
    handler: `import { sendFile, uploadFile } from 'lambda-s3-spill/browser';
export const check = async () => typeof sendFile + ' ' + typeof uploadFile;
`,
    expected: 'function function',
  },
  cdk: {
    specifier: 'lambda-s3-spill/cdk',
    peers: ['aws-cdk-lib', 'constructs'],
    handler: `import { App, Stack } from 'aws-cdk-lib';
import { SpillBucket } from 'lambda-s3-spill/cdk';
export const check = async () => new SpillBucket(new Stack(new App(), 'S'), 'Spill').prefix;
`,
    expected: 'spill/',
  },
} as const;
type EntryName = keyof typeof ENTRIES;

const PRELUDE = `const HTTP_EVENT = { version: '2.0', rawPath: '/items', headers: {}, requestContext: { domainName: 'abc.lambda-url.us-east-1.on.aws', http: { method: 'POST', path: '/items' } } };
const CONTEXT = { awsRequestId: 'req-1', functionName: 'consumer', getRemainingTimeInMillis: () => 30000 };
`;

const BUNDLES = {
  'cjs-sdk-inside': ['--format=cjs'],
  'esm-sdk-inside': ['--format=esm', "--banner:js=import { createRequire } from 'module'; const require = createRequire(import.meta.url);"],
  'cjs-sdk-external': ['--format=cjs', '--external:@aws-sdk/*'],
  'esm-sdk-external': ['--format=esm', '--external:@aws-sdk/*', "--banner:js=import { createRequire } from 'module'; const require = createRequire(import.meta.url);"],
} as const;
type BundleName = keyof typeof BUNDLES;
const bundleFile = (bundle: BundleName): string => `out/${bundle}/index.${bundle.startsWith('esm') ? 'mjs' : 'cjs'}`;

const RUN_CHECK = `const { resolve } = require('node:path');
const { pathToFileURL } = require('node:url');
const file = resolve(process.argv[2]);
(async () => {
  const loaded = process.argv[3] === 'require' ? require(file) : await import(pathToFileURL(file).href);
  console.log(JSON.stringify({ node: process.versions.node, result: await loaded.check() }));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`;

describe('every entry alone, without the optional peers it does not need', () => {
  const esbuild = join(rootModules, 'esbuild', 'bin', 'esbuild');
  const dirOf = (entry: EntryName): string => join(work, 'entries', entry);

  beforeAll(async () => {
    const extracted = join(app, 'node_modules', 'lambda-s3-spill');
    const dependencies = Object.keys(manifest.dependencies ?? {});
    for (const [entry, { peers, handler }] of Object.entries(ENTRIES) as [EntryName, (typeof ENTRIES)[EntryName]][]) {
      const dir = dirOf(entry);
      cpSync(extracted, join(dir, 'node_modules', 'lambda-s3-spill'), { recursive: true, dereference: true });
      for (const name of [...dependencies, ...peers]) {
        mkdirSync(dirname(join(dir, 'node_modules', name)), { recursive: true });
        symlinkSync(realpathSync(join(rootModules, name)), join(dir, 'node_modules', name), 'dir');
      }
      write(join(dir, 'package.json'), json({ name: `entry-${entry}`, private: true }));
      write(join(dir, 'handler.mjs'), PRELUDE + handler);
      write(join(dir, 'handler.cjs'), PRELUDE + handler.replace(/^import \{ (.*) \} from '(.*)';$/gm, "const { $1 } = require('$2');").replace(/^export const (\w+) =/gm, 'const $1 = exports.$1 ='));
      write(join(dir, 'run-check.cjs'), RUN_CHECK);
    }
    await Promise.all(
      (Object.keys(ENTRIES) as EntryName[]).flatMap((entry) =>
        (Object.keys(BUNDLES) as BundleName[]).map((bundle) =>
          run(
            esbuild,
            ['handler.mjs', '--bundle', '--platform=node', '--target=node22', '--minify', '--log-level=error', `--outfile=${bundleFile(bundle)}`, ...BUNDLES[bundle]],
            { cwd: dirOf(entry) },
          ),
        ),
      ),
    );
  }, 600_000);

  test.each(Object.keys(ENTRIES) as EntryName[])('%s: only the peers it needs are there', (entry) => {
    const everyOptional = ['@aws-sdk/s3-presigned-post', '@aws-sdk/lib-storage', '@aws-sdk/s3-request-presigner', '@middy/core', 'aws-cdk-lib', 'constructs', 's3rver', 'tsx'];
    const present = everyOptional.filter((name) => existsSync(join(dirOf(entry), 'node_modules', name)));
    expect(present).toEqual(everyOptional.filter((name) => (ENTRIES[entry].peers as readonly string[]).includes(name)));
  });

  describe.each(NODES)('on Node %s', (major, node) => {
    const cases = (Object.keys(ENTRIES) as EntryName[]).flatMap((entry) => [
      ...(['require', 'import'] as const).map((how) => [entry, how, how === 'require' ? 'handler.cjs' : 'handler.mjs'] as const),
      ...(Object.keys(BUNDLES) as BundleName[]).map((bundle) => [entry, bundle, bundleFile(bundle)] as const),
    ]);
    test.each(cases)('%s, %s: loads and runs', async (entry, how, file) => {
      const { stdout } = await run(node, ['run-check.cjs', file, file.endsWith('.cjs') ? 'require' : 'import'], {
        cwd: dirOf(entry),
      });
      expect(JSON.parse(stdout)).toEqual({ node: expect.stringMatching(new RegExp(`^${major}\\.`)), result: ENTRIES[entry].expected });
    });
  });
});

/**
 * A second copy of `@aws-sdk/client-s3` with its own `@smithy/core`, as npm
 * installs when two SDK versions meet in one tree, under a package `second-sdk`
 * that re-exports it. The copies get another version: TypeScript merges packages
 * of the same name and version, so only another version is another type. Written
 * after `npm install`, which removes what the scratch package.json does not name.
 */
function writeSecondSdkCopy(): void {
  const dir = join(app, 'node_modules', 'second-sdk');
  for (const name of ['@aws-sdk/client-s3', '@smithy/core']) {
    const target = join(dir, 'node_modules', name);
    cpSync(realpathSync(join(rootModules, name)), target, { recursive: true });
    const copied = JSON.parse(readFileSync(join(target, 'package.json'), 'utf8')) as { version: string };
    writeFileSync(join(target, 'package.json'), json({ ...copied, version: `${copied.version}-second-copy` }));
  }
  write(join(dir, 'package.json'), json({ name: 'second-sdk', version: '1.0.0', main: './index.js', types: './index.d.ts' }));
  write(join(dir, 'index.js'), "module.exports = require('@aws-sdk/client-s3');\n");
  write(join(dir, 'index.d.ts'), "export { S3Client } from '@aws-sdk/client-s3';\n");
}

/** What each tsconfig sets, beyond the shared options, and the files it checks (in `ts/`). */
const TS_CONFIGS: Record<string, { options: Record<string, unknown>; files: string[] }> = {
  node16: { options: { module: 'node16', moduleResolution: 'node16' }, files: ['consumer.mts', 'entries.mts'] },
  nodenext: { options: { module: 'nodenext', moduleResolution: 'nodenext' }, files: ['consumer.mts', 'consumer.cts', 'entries.mts', 'entries.cts'] },
  bundler: { options: { module: 'esnext', moduleResolution: 'bundler' }, files: ['consumer.ts', 'entries.ts'] },
  strict: { options: { module: 'nodenext', moduleResolution: 'nodenext', skipLibCheck: false }, files: ['main-entry.mts'] },
  'second-sdk': { options: { module: 'nodenext', moduleResolution: 'nodenext' }, files: ['second-sdk.mts'] },
  'second-sdk-control': { options: { module: 'nodenext', moduleResolution: 'nodenext' }, files: ['second-sdk-control.mts'] },
};

const ESM_CONSUMER = `import middy from '@middy/core';
import { S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { App, Stack } from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { s3Spill, S3SpillError, type S3SpillOptions } from 'lambda-s3-spill';
import { SpillBucket, type SpillBucketProps } from 'lambda-s3-spill/cdk';

const options: S3SpillOptions = {
  bucket: 'spill-bucket',
  s3Client: new S3Client({}),
  logger: new Logger({ serviceName: 'consumer' }),
  expiresIn: 300,
};
export const handler = middy(async () => ({ statusCode: 200, body: 'ok' })).use(s3Spill(options));
export const isSpillError = (error: unknown): boolean => error instanceof S3SpillError;

const props: SpillBucketProps = {};
declare const fn: lambda.Function;
new SpillBucket(new Stack(new App(), 'Consumer'), 'Spill', props).connect(fn);

// @ts-expect-error the options are typed, not any: a string is no expiresIn
s3Spill({ expiresIn: 'soon' });
`;

const ENTRIES_CONSUMER = `import { withS3Spill, S3SpillError, type S3SpillOptions } from 'lambda-s3-spill';
import { withS3Offload, OffloadStoreError, STEP_FUNCTIONS_STATE_MAX_BYTES, type S3OffloadOptions } from 'lambda-s3-spill/offload';
import { createUpload, resolveUploads, InvalidUploadError, type S3Upload, type CreateUploadOptions } from 'lambda-s3-spill/uploads';
import { startDevServer, type DevServerOptions } from 'lambda-s3-spill/dev';
import { sendFile } from 'lambda-s3-spill/browser';
import { SpillBucket } from 'lambda-s3-spill/cdk';
import { withS3Cache, type S3CacheOptions } from 'lambda-s3-spill/cache';

const spill: S3SpillOptions = { bucket: 'spill-bucket' };
const cache: S3CacheOptions = { bucket: 'spill-bucket', ttl: 60, vary: ['Accept-Language'] };
export const cached = withS3Cache(async () => ({ statusCode: 200 }), cache);
const offload: S3OffloadOptions = { bucket: 'spill-bucket', maxBytes: STEP_FUNCTIONS_STATE_MAX_BYTES };
const form: CreateUploadOptions = { bucket: 'spill-bucket', maxBytes: 1024 };
export const handlers = [withS3Spill(async () => ({ statusCode: 200 }), spill), withS3Offload(async () => 1, offload)];
export const uses = [createUpload(form), resolveUploads, startDevServer, sendFile, SpillBucket];
export const kinds = (error: unknown): boolean[] => [error instanceof S3SpillError, error instanceof OffloadStoreError, error instanceof InvalidUploadError];
export type Seen = [S3Upload, DevServerOptions];
// @ts-expect-error offload options are typed: no spill-only option
withS3Offload(async () => 1, { reference: true });
`;

const CONSUMERS: Record<string, string> = {
  'ts/entries.mts': ENTRIES_CONSUMER,
  'ts/entries.ts': ENTRIES_CONSUMER,
  'ts/entries.cts': ENTRIES_CONSUMER,
  'ts/consumer.mts': ESM_CONSUMER,
  'ts/consumer.ts': ESM_CONSUMER,
  'ts/consumer.cts': `import { S3Client } from '@aws-sdk/client-s3';
import { s3Spill, type S3SpillOptions } from 'lambda-s3-spill';
import { SpillBucket } from 'lambda-s3-spill/cdk';

const options: S3SpillOptions = { bucket: 'spill-bucket', s3Client: new S3Client({}) };
export const middleware = s3Spill(options);
export const Construct = SpillBucket;

// @ts-expect-error the options are typed, not any: a string is no expiresIn
s3Spill({ expiresIn: 'soon' });
`,
  'ts/main-entry.mts': `import { S3Client } from '@aws-sdk/client-s3';
import { s3Spill } from 'lambda-s3-spill';

export const middleware = s3Spill({ bucket: 'spill-bucket', s3Client: new S3Client({}) });
`,
  'ts/second-sdk.mts': `import { S3Client as SecondS3Client } from 'second-sdk';
import { s3Spill } from 'lambda-s3-spill';

const client = new SecondS3Client({});
export const middleware = s3Spill({ bucket: 'spill-bucket', s3Client: client, signingClient: client });
`,
  'ts/second-sdk-control.mts': `import type { S3Client } from '@aws-sdk/client-s3';
import { S3Client as SecondS3Client } from 'second-sdk';

export const control: S3Client = new SecondS3Client({});
`,
  'checks/require.cjs': `const { s3Spill } = require('lambda-s3-spill');
const { SpillBucket } = require('lambda-s3-spill/cdk');
const { version } = require('lambda-s3-spill/package.json');
console.log(JSON.stringify({
  node: process.versions.node,
  s3Spill: typeof s3Spill,
  after: typeof s3Spill({ bucket: 'spill-bucket' }).after,
  spillBucketIsClass: typeof SpillBucket === 'function' && /^class\\b/.test(Function.prototype.toString.call(SpillBucket)),
  connect: typeof SpillBucket.prototype.connect,
  version,
}));
`,
  'checks/import.mjs': `import { s3Spill } from 'lambda-s3-spill';
import { SpillBucket } from 'lambda-s3-spill/cdk';
console.log(JSON.stringify({
  node: process.versions.node,
  s3Spill: typeof s3Spill,
  after: typeof s3Spill({ bucket: 'spill-bucket' }).after,
  spillBucketIsClass: typeof SpillBucket === 'function' && /^class\\b/.test(Function.prototype.toString.call(SpillBucket)),
  connect: typeof SpillBucket.prototype.connect,
}));
`,
  'handler.ts': `import middy from '@middy/core';
import { s3Spill } from 'lambda-s3-spill';

export const handler = middy(async () => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ hello: 'world' }),
})).use(s3Spill({ bucket: 'spill-bucket' }));
`,
  'checks/run-handler.cjs': `const { resolve } = require('node:path');
const { pathToFileURL } = require('node:url');
const file = resolve(process.env.HANDLER_FILE);
const event = {
  version: '2.0',
  rawPath: '/items',
  headers: {},
  requestContext: { domainName: 'abc.lambda-url.us-east-1.on.aws', http: { method: 'GET', path: '/items' } },
};
const context = { awsRequestId: 'req-1', functionName: 'consumer', getRemainingTimeInMillis: () => 30000 };
(async () => {
  const { handler } = file.endsWith('.mjs') ? await import(pathToFileURL(file).href) : require(file);
  console.log(JSON.stringify({ node: process.versions.node, result: await handler(event, context) }));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
`,
  'checks/second-sdk-runtime.mjs': `import http from 'node:http';
import { createRequire } from 'node:module';
import middy from '@middy/core';
import { S3Client } from '@aws-sdk/client-s3';
import { s3Spill } from 'lambda-s3-spill';

const { S3Client: SecondS3Client } = createRequire(import.meta.url)('second-sdk');
const puts = [];
const server = http.createServer((request, response) => {
  let bytes = 0;
  request.on('data', (chunk) => { bytes += chunk.length; });
  request.on('end', () => {
    puts.push({ method: request.method, path: request.url.split('?')[0], bytes });
    response.writeHead(200, { ETag: '"etag"' });
    response.end();
  });
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const client = new SecondS3Client({
  region: 'us-east-1',
  endpoint: \`http://127.0.0.1:\${server.address().port}\`,
  forcePathStyle: true,
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
});
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
const handler = middy(async () => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'x'.repeat(1000) }))
  .use(s3Spill({ bucket: 'spill-bucket', s3Client: client, alwaysSpill: true, logger: quiet }));
const event = {
  version: '2.0',
  rawPath: '/items',
  headers: {},
  requestContext: { domainName: 'abc.lambda-url.us-east-1.on.aws', http: { method: 'GET', path: '/items' } },
};
const result = await handler(event, { awsRequestId: 'r', functionName: 'f', getRemainingTimeInMillis: () => 30000 });
server.close();
const location = new URL(result.headers.location ?? result.headers.Location);
console.log(JSON.stringify({
  secondCopy: SecondS3Client !== S3Client,
  statusCode: result.statusCode,
  signed: location.searchParams.has('X-Amz-Signature'),
  puts,
  locationPath: location.pathname,
}));
`,
};

function writeConsumers(): void {
  for (const [path, text] of Object.entries(CONSUMERS)) write(join(app, path), text);
  const shared = { target: 'es2022', lib: ['es2023'], strict: true, noEmit: true, skipLibCheck: true, types: ['node'] };
  for (const [name, { options, files: checked }] of Object.entries(TS_CONFIGS)) {
    write(join(app, 'ts', `tsconfig.${name}.json`), json({ compilerOptions: { ...shared, ...options }, files: checked }));
  }
}
