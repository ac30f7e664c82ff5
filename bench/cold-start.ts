/**
 * 0. Cold start: what a handler pays at import, and on its first invocation, in
 * a fresh process, bundled as `NodejsFunction` bundles it (esbuild
 * `--bundle --platform=node --target=node22 --minify`): a CJS bundle, an ESM
 * bundle with the `createRequire` banner, and both again with `@aws-sdk/*`
 * external (NodejsFunction's default: the runtime's SDK, loaded from
 * `node_modules`). The handlers are
 * `bench/cold-start/*.mjs`; each measurement is one fresh `node` process
 * (`bench/cold-start/child.mjs`) that times the `require`/`import` of the bundle
 * (the process's own start excluded) and one invocation. Bundles are built in
 * `node_modules/.cache/cold-start`; middy-store and middy-store-s3 are installed
 * there (not in package.json) when the registry answers.
 *
 * Run alone: `npx tsx bench/cold-start.ts` (starts its own local S3);
 * `COLD_START_IMPORTS` and `COLD_START_SPILLS` set the processes per figure
 * (11 and 9), `COLD_START_PEERS=skip` leaves middy-store out.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { spread, table } from './harness.js';
import { NODE } from './local-s3.js';
import type { Section, Target } from './section.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HERE = fileURLToPath(new URL('./cold-start/', import.meta.url));
const CACHE = `${ROOT}node_modules/.cache/cold-start`;
const PEERS = `${CACHE}/peers`;
/** Fresh processes per import figure, and per first-spill figure. */
const IMPORTS = Number(process.env.COLD_START_IMPORTS ?? 11);
const SPILLS = Number(process.env.COLD_START_SPILLS ?? 9);
const BANNER = "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

const HANDLERS = [
  { name: 'bare', label: 'Middy + a no-op `after` (the floor)', file: 'bare.mjs' },
  { name: 'sdk', label: 'Middy + raw `@aws-sdk/client-s3` + `s3-request-presigner`', file: 'sdk.mjs' },
  { name: 'sdk-lazy', label: 'Middy + the SDK behind an `import()` never called (the parse floor)', file: 'sdk-lazy.mjs' },
  { name: 's3Spill', label: 'Middy + `s3Spill({ bucket })`', file: 's3spill.mjs' },
  { name: 'withS3Spill', label: '`withS3Spill(handler, { bucket })`', file: 'wrapper.mjs' },
  { name: 'middy-store', label: 'Middy + `middy-store` + `middy-store-s3` (peer)', file: 'middy-store.mjs' },
] as const;
type HandlerName = (typeof HANDLERS)[number]['name'];

const VARIANTS = [
  { name: 'cjs', label: 'CJS bundle', format: 'cjs', external: [] as string[] },
  { name: 'esm', label: 'ESM bundle (`createRequire` banner)', format: 'esm', external: [] as string[] },
  { name: 'ext', label: 'CJS, `@aws-sdk/*` external', format: 'cjs', external: ['@aws-sdk/*'] },
  { name: 'esm-ext', label: 'ESM, `@aws-sdk/*` external', format: 'esm', external: ['@aws-sdk/*'] },
] as const;
type VariantName = (typeof VARIANTS)[number]['name'];

interface ChildResult {
  readonly importMs: number;
  /** CPU time of the import (user + system, every thread of the process): less sensitive than wall time to a busy machine. */
  readonly importCpuMs: number;
  readonly invokeMs: number;
  readonly status: number | string;
  readonly maxRss: number;
}

/** Install the peer for comparison in the cache (never in package.json); false when the registry does not answer. */
async function installPeers(log: (line: string) => void): Promise<string> {
  if (existsSync(`${PEERS}/node_modules/middy-store-s3/package.json`)) return 'installed';
  if (process.env.COLD_START_PEERS === 'skip') return 'not installed (COLD_START_PEERS=skip)';
  mkdirSync(PEERS, { recursive: true });
  writeFileSync(`${PEERS}/package.json`, '{ "name": "cold-start-peers", "private": true }\n');
  try {
    log('  installing middy-store and middy-store-s3 in node_modules/.cache/cold-start/peers...');
    await run('npm', ['install', '--no-audit', '--no-fund', 'middy-store@1', 'middy-store-s3@1'], { cwd: PEERS, timeout: 120_000 });
    return 'installed';
  } catch (error) {
    return `not installed (${(error as Error).message.split('\n')[0]})`;
  }
}

async function bundle(handler: (typeof HANDLERS)[number], variant: (typeof VARIANTS)[number]): Promise<string> {
  const outfile = `${CACHE}/${handler.name}.${variant.name}.${variant.format === 'esm' ? 'mjs' : 'cjs'}`;
  await build({
    absWorkingDir: ROOT,
    entryPoints: [`${HERE}${handler.file}`],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    minify: true,
    format: variant.format,
    banner: variant.format === 'esm' ? { js: BANNER } : undefined,
    external: [...variant.external],
    nodePaths: [`${PEERS}/node_modules`],
    logLevel: 'silent',
  });
  return outfile;
}

async function child(file: string, format: string, mode: 'fits' | 'spill', env: NodeJS.ProcessEnv): Promise<ChildResult> {
  const { stdout } = await run(NODE, [`${HERE}child.mjs`, file, format, mode], { env, maxBuffer: 1 << 20, timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as ChildResult;
}

const ms = (v: number): string => (v < 10 ? `${v.toFixed(2)} ms` : `${v.toFixed(1)} ms`);
const kb = (bytes: number): string => `${(bytes / 1000).toFixed(0)} KB`;
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(0)} MB`;
const median = (values: readonly number[]): number => spread(values).median;

export async function coldStart(endpoint: string, bucket: string, log: (line: string) => void = () => {}): Promise<Section> {
  mkdirSync(CACHE, { recursive: true });
  const peers = await installPeers(log);
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    AWS_ENDPOINT_URL_S3: endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'S3RVER',
    AWS_SECRET_ACCESS_KEY: 'S3RVER',
    // s3rver 3.7 needs checksums only when required (bench/local-s3.ts); real S3 does not.
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    POWERTOOLS_LOG_LEVEL: 'WARN',
    BENCH_BUCKET: bucket,
  };
  const handlers = HANDLERS.filter((h) => h.name !== 'middy-store' || peers === 'installed');
  const files = new Map<string, string>();
  const bytes = new Map<string, number>();
  for (const h of handlers) {
    for (const v of VARIANTS) {
      const file = await bundle(h, v);
      files.set(`${h.name}/${v.name}`, file);
      bytes.set(`${h.name}/${v.name}`, statSync(file).size);
    }
  }
  // Fits: import + one invocation whose answer fits; the handlers interleaved, so drift spreads over all.
  const fits = new Map<string, ChildResult[]>();
  for (let i = 0; i < IMPORTS; i++) {
    for (const v of VARIANTS) {
      for (const h of handlers) {
        const key = `${h.name}/${v.name}`;
        const r = await child(files.get(key)!, v.format, 'fits', env);
        if (r.status !== 200) throw new Error(`${key}: fits answered ${r.status}`);
        fits.set(key, [...(fits.get(key) ?? []), r]);
      }
    }
  }
  // Spills: import + a first invocation with a 7 MB body, in a fresh process.
  const spills = new Map<string, ChildResult[]>();
  for (let i = 0; i < SPILLS; i++) {
    for (const v of VARIANTS) {
      for (const h of handlers) {
        if (h.name === 'bare' || h.name === 'sdk-lazy') continue;
        const key = `${h.name}/${v.name}`;
        const r = await child(files.get(key)!, v.format, 'spill', env);
        spills.set(key, [...(spills.get(key) ?? []), r]);
      }
    }
  }
  const imp = (h: HandlerName, v: VariantName): number => median(fits.get(`${h}/${v}`)!.map((r) => r.importMs));
  const impCpu = (h: HandlerName, v: VariantName): number => median(fits.get(`${h}/${v}`)!.map((r) => r.importCpuMs));
  const cpuShare = (h: HandlerName, v: VariantName): number =>
    (impCpu(h, v) - impCpu('bare', v)) / (impCpu('sdk', v) - impCpu('bare', v));
  const firstFits = (h: HandlerName, v: VariantName): number => median(fits.get(`${h}/${v}`)!.map((r) => r.invokeMs));
  const spillInvoke = (h: HandlerName, v: VariantName): number => median(spills.get(`${h}/${v}`)!.map((r) => r.invokeMs));
  const spillTotal = (h: HandlerName, v: VariantName): number =>
    median(spills.get(`${h}/${v}`)!.map((r) => r.importMs + r.invokeMs));
  const rss = (m: Map<string, ChildResult[]>, h: HandlerName, v: VariantName): number =>
    median(m.get(`${h}/${v}`)!.map((r) => r.maxRss));
  const share = (h: HandlerName, v: VariantName): number => (imp(h, v) - imp('bare', v)) / (imp('sdk', v) - imp('bare', v));

  const rows: string[][] = [];
  for (const h of handlers) {
    for (const v of VARIANTS) {
      const cost =
        h.name === 'bare' || h.name === 'sdk'
          ? ''
          : `**${(share(h.name, v.name) * 100).toFixed(1)} %** / ${(cpuShare(h.name, v.name) * 100).toFixed(1)} %`;
      const spilled = h.name === 'bare' || h.name === 'sdk-lazy' ? '' : spills.get(`${h.name}/${v.name}`)!;
      const spillStatus = spilled === '' ? '' : String(spilled[0]!.status);
      rows.push([
        h.label,
        v.label,
        kb(bytes.get(`${h.name}/${v.name}`)!),
        ms(imp(h.name, v.name)),
        cost,
        ms(firstFits(h.name, v.name)),
        spilled === '' ? '' : `${ms(spillInvoke(h.name, v.name))} (${spillStatus})`,
        spilled === '' ? '' : ms(spillTotal(h.name, v.name)),
        spilled === '' || h.name === 'sdk' ? '' : `**${(spillTotal(h.name, v.name) / spillTotal('sdk', v.name)).toFixed(2)}×**`,
        `${mb(rss(fits, h.name, v.name))}${spilled === '' ? '' : ` / ${mb(rss(spills, h.name, v.name))}`}`,
      ]);
    }
  }
  const targets: Target[] = [];
  for (const h of ['s3Spill', 'withS3Spill'] as const) {
    for (const v of VARIANTS) {
      const s = share(h, v.name);
      // With the SDK inside, the bundle carries it whatever the handler does: the floor is a bundle that never runs it.
      const overParseFloor = (imp(h, v.name) - imp('sdk-lazy', v.name)) / (imp('sdk', v.name) - imp('bare', v.name));
      const external = v.external.length > 0;
      targets.push({
        figure: `0. cold start, ${h}, ${v.label}: import cost over the floor`,
        target: external ? '≤ 5 % of the raw SDK handler\'s' : '≤ 5 % of the raw SDK handler\'s over the parse floor (a bundle carrying the SDK, never run)',
        measured:
          `${(s * 100).toFixed(1)} % wall, ${(cpuShare(h, v.name) * 100).toFixed(1)} % CPU ` +
          `(${ms(imp(h, v.name))} against ${ms(imp('bare', v.name))} bare, ${ms(imp('sdk', v.name))} SDK; CPU ${ms(impCpu(h, v.name))}, ${ms(impCpu('bare', v.name))}, ${ms(impCpu('sdk', v.name))})`,
        met: external ? s <= 0.05 : overParseFloor <= 0.05,
        why:
          `${ms(imp(h, v.name) - imp('bare', v.name))} over the floor against ${ms(imp('sdk', v.name) - imp('bare', v.name))} for the SDK; ` +
          `a handler that only carries the SDK in its bundle, never evaluated, already costs ${(share('sdk-lazy', v.name) * 100).toFixed(1)} % (${ms(imp('sdk-lazy', v.name))}): ` +
          `over that parse floor ${h} adds ${((imp(h, v.name) - imp('sdk-lazy', v.name)) / (imp('sdk', v.name) - imp('bare', v.name)) * 100).toFixed(1)} %`,
      });
    }
  }
  for (const h of ['s3Spill', 'withS3Spill'] as const) {
    for (const v of VARIANTS) {
      const r = spillTotal(h, v.name) / spillTotal('sdk', v.name);
      targets.push({
        figure: `0. cold start, ${h}, ${v.label}: first spill (import + first invocation)`,
        target: '≤ 1.05× the raw SDK\'s import + first PutObject + getSignedUrl',
        measured: `${r.toFixed(2)}× (${ms(spillTotal(h, v.name))} against ${ms(spillTotal('sdk', v.name))})`,
        met: r <= 1.05,
        why: `first invocation alone ${ms(spillInvoke(h, v.name))} against ${ms(spillInvoke('sdk', v.name))} for the SDK`,
      });
    }
  }
  return {
    title: '0. Cold start',
    what:
      'Each handler bundled as `NodejsFunction` does (esbuild `--bundle --platform=node --target=node22 --minify`), then loaded in a fresh ' +
      `\`node\` ${process.versions.node} process: the time to \`require\`/\`import\` the bundle (the process's own start excluded; median of ${IMPORTS} processes), ` +
      'the first invocation with a 2-byte body (fits), and, in other fresh processes, the first invocation with a 7 MB body that must spill ' +
      `(median of ${SPILLS}; the raw SDK handler does \`PutObject\` + \`getSignedUrl\` itself, its \`S3Client\` made at import as usual), against the local S3. ` +
      '"Import over the floor" is `(handler - bare) / (SDK - bare)`; "first spill" is import + first invocation, against the raw SDK handler\'s. ' +
      'The handlers are [`bench/cold-start/`](../bench/cold-start/).',
    table: table(
      ['handler', 'bundle', 'bytes', 'import', 'import over the floor (wall / CPU)', 'first invocation, fits', 'first invocation, spills (status)', 'import + first spill', 'first spill / SDK', 'peak RSS (fits / spills)'],
      rows,
    ),
    notes: [
      `middy-store + middy-store-s3: ${peers}${peers === 'installed' ? ' (1.x, from npm, in node_modules/.cache/cold-start/peers); it answers a stored payload with a reference object, not a 303 with a presigned URL, so its spill is a `PutObject` without signing' : ''}.`,
      'What `s3Spill` runs at import: its option checks and the modules of the size bound (sizing, headers, options); the plans, and negotiator with them, load with the first response the bound cannot pass; no builtin (`node:crypto`, `node:util/types`, `node:v8` are taken with `process.getBuiltinModule` where used). ' +
        '`node:zlib` and the stream modules load with the first compressed response, the S3 client, lib-storage and the presigner with the first spill, each through a dynamic `import()` of the package itself, which no bundle format hoists (an ESM bundle turns a static import of an external package into a top-level import, even in a lazily imported module). ' +
        'The Powertools Logger loads on first use, through its CommonJS build: its ESM build\'s static imports of `node:crypto` and `node:console` would be hoisted to the top of an ESM bundle. With the SDK inside the bundle, esbuild keeps it in the file, where V8 still pre-parses it at load: the parse-floor row.',
      'The first spill pays the deferred module evaluation then; the target compares import + first invocation, what a cold start that spills costs in all.',
    ],
    targets,
  };
}

if (process.argv[1]?.endsWith('cold-start.ts')) {
  const { startServerProcess } = await import('./local-s3.js');
  const s3 = await startServerProcess();
  try {
    const section = await coldStart(s3.endpoint, s3.bucket, console.error);
    console.log(section.table);
    for (const n of section.notes) console.log(`- ${n}`);
    for (const t of section.targets) console.log(`${t.figure}: ${t.measured} (${t.met ? 'met' : 'missed'})`);
  } finally {
    await s3.stop();
  }
}
