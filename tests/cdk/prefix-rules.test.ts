/**
 * Every key prefix prop of `SpillBucket` is checked by the rule the runtime
 * applies to that prefix (the utility's option resolver, given the prefix in
 * the environment variable the construct sets), plus the grant's own rule (not
 * empty, no IAM wildcard or policy variable): a prefix the construct accepts is
 * never refused by the function at run time. The SAM samples' prefix
 * parameters accept the same.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, Lazy, Stack, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SpillBucket, SpillBucketPropsError, type SpillBucketProps } from 'lambda-s3-spill/cdk';
import { checkPrefix, type PrefixName } from '../../cdk/validate-props.js';
import { CACHE_CONTRACT, DURABLE_CONTRACT, MESSAGES_CONTRACT, OFFLOAD_CONTRACT, SPILL_CONTRACT, UPLOADS_CONTRACT } from '../../src/contract.js';
import { resolveCacheOptions } from '../../src/cache/options.js';
import { S3_KEY_MAX_BYTES } from '../../src/limits.js';
import { resolvePluginOptions } from '../../src/messages/options.js';
import { resolveOffloadOptions } from '../../src/offload/options.js';
import { s3Serdes } from '../../src/offload/serdes.js';
import { resolveOptions } from '../../src/spill/options.js';
import { resolveCreateUploadOptions, resolveS3UploadsOptions } from '../../src/uploads/options.js';
import { parseCfnYaml } from './helpers/cfn-yaml.js';

/** A short, visible name for a sample prefix. */
const label = (prefix: string): string =>
  `${JSON.stringify(prefix.slice(0, 20)).replace('\u007f', '\\u007f')} (${Buffer.byteLength(prefix)} bytes)`;

const BUCKET = { [SPILL_CONTRACT.bucketEnv]: 'spill-bucket' };

/** s3Serdes reads `process.env` at creation. */
function withProcessEnv(env: NodeJS.ProcessEnv, run: () => void): void {
  const saved = Object.fromEntries(Object.keys(env).map((name) => [name, process.env[name]]));
  Object.assign(process.env, env);
  try {
    run();
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
}

interface PrefixProp {
  /** The construct's props with this prefix set to `prefix`. */
  readonly props: (prefix: string) => SpillBucketProps;
  /** Each runtime resolver that reads this prefix from its environment variable. */
  readonly runtime: readonly ((prefix: string) => void)[];
}

/** Every prefix prop, with the runtime doors that read it. */
const PREFIX_PROPS: Record<Exclude<PrefixName, 'grantUploadKeep prefix'>, PrefixProp> = {
  prefix: {
    props: (prefix) => ({ prefix }),
    runtime: [(prefix) => resolveOptions({}, { ...BUCKET, [SPILL_CONTRACT.prefixEnv]: prefix })],
  },
  offloadPrefix: {
    props: (offloadPrefix) => ({ offloadPrefix }),
    runtime: [
      (prefix) => resolveOffloadOptions({}, { ...BUCKET, [OFFLOAD_CONTRACT.prefixEnv]: prefix }),
      (prefix) => resolveOffloadOptions({}, { ...BUCKET, [OFFLOAD_CONTRACT.prefixEnv]: prefix }, 'resolveOffloaded'),
    ],
  },
  durablePrefix: {
    props: (durablePrefix) => ({ durablePrefix }),
    runtime: [(prefix) => withProcessEnv({ ...BUCKET, [DURABLE_CONTRACT.prefixEnv]: prefix }, () => s3Serdes())],
  },
  'uploads.prefix': {
    props: (prefix) => ({ uploads: { prefix } }),
    runtime: [
      (prefix) => resolveCreateUploadOptions({ maxBytes: 1024 }, { ...BUCKET, [UPLOADS_CONTRACT.prefixEnv]: prefix }),
      (prefix) => resolveS3UploadsOptions({ maxBytes: 1024 }, { ...BUCKET, [UPLOADS_CONTRACT.prefixEnv]: prefix }),
    ],
  },
  'cache.prefix': {
    props: (prefix) => ({ cache: { prefix } }),
    runtime: [(prefix) => resolveCacheOptions({}, { ...BUCKET, [CACHE_CONTRACT.prefixEnv]: prefix })],
  },
  'messages.prefix': {
    props: (prefix) => ({ messages: { prefix } }),
    runtime: [(prefix) => resolvePluginOptions({}, { ...BUCKET, [MESSAGES_CONTRACT.prefixEnv]: prefix })],
  },
};

/** Prefixes the grant refuses whatever the runtime says: empty (the whole bucket), IAM wildcards, a policy variable. */
const GRANT_REFUSED = ['', '*', 'a*/', 'a?/', '${aws:username}/'];

const SAMPLES = [
  ...GRANT_REFUSED,
  // Accepted everywhere.
  'a/', 'a.b/', '.well-known/', 'a/..b/', 'a$b/', 'caf\u00e9/', `${'a'.repeat(255)}/`, `${'\u{1f600}'.repeat(128)}`,
  `${'a'.repeat(1023)}/`, `${'\u00e9'.repeat(511)}a/`,
  // The runtime's rules for every prefix.
  '..', '../', './x/', 'x/./', 'x/.', '/x/', 'a\u0000/', 'a\nb/', 'a\u001f/', 'a\u007f/',
  `${'a'.repeat(1024)}/`, `${'\u00e9'.repeat(512)}/`,
  // The runtime's rules for a prefix references are read under.
  'a//b/', 'a\\b/', 'a/\\/',
];

/** The runtime's refusal of `prefix` (a TypeError about `keyPrefix`), or `undefined`; any other error fails the test. */
function runtimeProblem(read: (prefix: string) => void, prefix: string): string | undefined {
  try {
    read(prefix);
    return undefined;
  } catch (error) {
    if (error instanceof TypeError && error.message.startsWith('keyPrefix ')) return error.message;
    throw error;
  }
}

/** The construct's refusal of `prefix` as the prop `name`, or `undefined`; any other error fails the test. */
function constructProblem(name: string, props: SpillBucketProps): string | undefined {
  try {
    new SpillBucket(new Stack(new App(), 'Prefixes'), 'Spill', props);
    return undefined;
  } catch (error) {
    if (error instanceof SpillBucketPropsError && error.message.startsWith(`SpillBucket: ${name} must `)) return error.message;
    throw error;
  }
}

describe.each(Object.entries(PREFIX_PROPS))('%s', (name, { props, runtime }) => {
  test('the default prefix, and "x/", pass both', () => {
    expect(constructProblem(name, {})).toBeUndefined();
    for (const read of runtime) expect(runtimeProblem(read, 'x/')).toBeUndefined();
  });

  test.each(SAMPLES.map((sample) => [label(sample), sample]))(
    '%s: refused by the construct exactly when the runtime or the grant refuses it',
    (_label, sample) => {
      const runtimeRefusals = runtime.map((read) => runtimeProblem(read, sample));
      // The doors of one utility agree with each other.
      expect(new Set(runtimeRefusals.map((p) => p === undefined)).size).toBe(1);
      const refused = runtimeRefusals[0] !== undefined || GRANT_REFUSED.includes(sample);
      const problem = constructProblem(name, props(sample));
      expect(problem !== undefined).toBe(refused);
    },
  );
});

test('a prefix references are read under refuses "\\\\" and "//"; one only written under accepts them', () => {
  const refusedBy = (name: keyof typeof PREFIX_PROPS, sample: string) => constructProblem(name, PREFIX_PROPS[name].props(sample));
  for (const name of ['offloadPrefix', 'durablePrefix', 'uploads.prefix'] as const) {
    expect(refusedBy(name, 'a//b/')).toBe(`SpillBucket: ${name} must not contain an empty segment ("//")`);
    expect(refusedBy(name, 'a\\b/')).toBe(`SpillBucket: ${name} must not contain "\\"`);
  }
  for (const name of ['prefix', 'cache.prefix', 'messages.prefix'] as const) {
    expect(refusedBy(name, 'a//b/')).toBeUndefined();
    expect(refusedBy(name, 'a\\b/')).toBeUndefined();
  }
});

const CACHE_PREFIX_ERRORS: readonly (readonly [string, RegExp])[] = [
  ['', /^SpillBucket: cache\.prefix must not be empty/],
  ['./x/', /^SpillBucket: cache\.prefix must not contain a "\." segment$/],
  [`${'a'.repeat(1024)}/`, /^SpillBucket: cache\.prefix must be at most 1024 bytes \(UTF-8\)$/],
  ['a\u0000/', /^SpillBucket: cache\.prefix must not contain control characters/],
  ['${aws:username}/', /^SpillBucket: cache\.prefix must not contain "\*", "\?" or "\$\{"/],
];

test.each(CACHE_PREFIX_ERRORS.map(([prefix, message]) => [label(prefix), prefix, message] as const))(
  'the error names the prop and the rule: %s',
  (_label, prefix, message) => {
    expect(constructProblem('cache.prefix', { cache: { prefix } })).toMatch(message);
  },
);

test('grantUploadKeep checks its prefix by the rule for keys written under it, and the grant\'s', () => {
  const stack = new Stack(new App(), 'Keep');
  const spill = new SpillBucket(stack, 'Spill', { uploads: {} });
  const fn = new lambda.Function(stack, 'F', { runtime: lambda.Runtime.NODEJS_24_X, handler: 'index.handler', code: lambda.Code.fromInline('exports.handler = 1') });
  for (const prefix of ['..', './x/', 'a\u0000/', `${'a'.repeat(1024)}/`, '', '*', '${aws:username}/']) {
    expect(() => spill.grantUploadKeep(fn, { prefix })).toThrow(/^SpillBucket: grantUploadKeep prefix must /);
  }
  for (const prefix of ['kept/', 'a//b/', 'a\\b/']) expect(() => spill.grantUploadKeep(fn, { prefix })).not.toThrow();
});

test('a prefix known only at deployment is not checked', () => {
  const token = Token.asString(Lazy.string({ produce: () => '*' }));
  for (const name of [...Object.keys(PREFIX_PROPS), 'grantUploadKeep prefix'] as PrefixName[]) {
    expect(() => checkPrefix(token, name)).not.toThrow();
  }
});

/** The construct prop each SAM sample's prefix parameter stands for. */
const SAM_PARAMETERS: Record<string, keyof typeof PREFIX_PROPS> = {
  SpillPrefix: 'prefix',
  OffloadPrefix: 'offloadPrefix',
  DurablePrefix: 'durablePrefix',
  UploadsPrefix: 'uploads.prefix',
  CachePrefix: 'cache.prefix',
  MessagesPrefix: 'messages.prefix',
};

/** Characters: at most 4 UTF-8 bytes each, so a parameter this long is within S3's key bound. */
const SAM_MAX_LENGTH = 256;

interface PrefixParameter {
  readonly AllowedPattern: string;
  readonly MaxLength: number;
}

const samDir = join(process.cwd(), 'samples', 'sam');
const samPrefixParameters = readdirSync(samDir)
  .filter((file) => file.endsWith('.yaml'))
  .flatMap((file) =>
    Object.entries(parseCfnYaml(readFileSync(join(samDir, file), 'utf8')).Parameters ?? {})
      .filter(([name]) => name.endsWith('Prefix'))
      .map(([name, parameter]) => [file, name, parameter as unknown as PrefixParameter] as const),
  );

test('the SAM samples have prefix parameters, and a length bound within S3\'s', () => {
  expect(samPrefixParameters.length).toBeGreaterThanOrEqual(Object.keys(SAM_PARAMETERS).length);
  expect(SAM_MAX_LENGTH * 4).toBeLessThanOrEqual(S3_KEY_MAX_BYTES);
});

// CloudFormation reads AllowedPattern as a Java regex; these patterns use only syntax JavaScript reads the same way
// (Java's `$` also matches before a final line terminator, which can only refuse more).
describe.each(samPrefixParameters)('SAM %s %s', (_file, name, parameter) => {
  test('stands for a prop, bounded to SAM_MAX_LENGTH characters', () => {
    expect(Object.keys(SAM_PARAMETERS)).toContain(name);
    expect(parameter.MaxLength).toBe(SAM_MAX_LENGTH);
  });

  test.each(SAMPLES.map((sample) => [label(sample), sample]))(
    '%s: accepted exactly when the construct accepts it (and within MaxLength)',
    (_label, sample) => {
      const prop = SAM_PARAMETERS[name]!;
      const samAccepts = new RegExp(parameter.AllowedPattern).test(sample) && sample.length <= parameter.MaxLength;
      const constructAccepts = constructProblem(prop, PREFIX_PROPS[prop].props(sample)) === undefined;
      expect(samAccepts).toBe(sample.length <= SAM_MAX_LENGTH && constructAccepts);
    },
  );
});
