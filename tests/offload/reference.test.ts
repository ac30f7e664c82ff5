/** The pure part: reference format, the checks on a claimed reference, finding references, the offload decision. */
import { readKeyProblem } from '../../src/s3/keys.js';
import { makeReference, findReferences, looksLikeReference, referenceProblem, replaceAt, OFFLOAD_RESOLVE_MAX_DEPTH } from '../../src/offload/reference.js';
import { planOffload, planResolve } from '../../src/offload/plan.js';
import { payloadBytes } from 'lambda-s3-spill';
import { eventOf } from '../support/events.js';

const policy = { buckets: ['offload-bucket'], keyPrefix: 'offload/', maxResolveBytes: 1_000_000, maxReferences: 100, maxResolveTotalBytes: 100_000_000 };
const SHA = 'a'.repeat(64);
const good = makeReference('offload-bucket', 'offload/20261201T120000000Z-1b4e28ba-2fa1-4d2e-8b1c-000000000001.json', 10, SHA);
const pointer = good.lambdaS3Offload;

it('writes version 1 with one well-known key, an s3:// URI and a JSON media type', () => {
  expect(Object.keys(good)).toEqual(['lambdaS3Offload']);
  expect(pointer).toEqual({
    version: 1,
    bucket: 'offload-bucket',
    key: pointer.key,
    bytes: 10,
    sha256: SHA,
    uri: `s3://offload-bucket/${pointer.key}`,
    contentType: 'application/json; charset=utf-8',
  });
  expect(referenceProblem(pointer, policy)).toBeUndefined();
  expect(payloadBytes(good)).toBeLessThan(400);
});

it.each([
  ['another bucket', { bucket: 'other-bucket', uri: `s3://other-bucket/${pointer.key}` }, /not one the consumer reads/],
  ['an invalid bucket name', { bucket: 'Bad_Bucket' }, /no valid bucket/],
  ['another prefix', { key: 'secret/x.json', uri: 's3://offload-bucket/secret/x.json' }, /not under the key prefix/],
  ['a prefix look-alike', { key: 'offloadx/y.json', uri: 's3://offload-bucket/offloadx/y.json' }, /not under the key prefix/],
  ['a ".." segment', { key: 'offload/../secret/x.json', uri: 's3://offload-bucket/offload/../secret/x.json' }, /"\." or "\.\." segment/],
  ['a "." segment', { key: 'offload/./x.json', uri: 's3://offload-bucket/offload/./x.json' }, /"\." or "\.\." segment/],
  ['an empty segment', { key: 'offload//x.json', uri: 's3://offload-bucket/offload//x.json' }, /empty segment/],
  ['a backslash', { key: 'offload/..\\secret', uri: 's3://offload-bucket/offload/..\\secret' }, /backslash/],
  ['a control character', { key: 'offload/x\n.json', uri: 's3://offload-bucket/offload/x\n.json' }, /control character/],
  ['a lone surrogate', { key: 'offload/\ud800.json', uri: 's3://offload-bucket/offload/\ud800.json' }, /well-formed/],
  ['the prefix itself', { key: 'offload/', uri: 's3://offload-bucket/offload/' }, /prefix itself/],
  ['a key over 1,024 bytes', { key: `offload/${'k'.repeat(1020)}`, uri: `s3://offload-bucket/offload/${'k'.repeat(1020)}` }, /over 1024 bytes/],
  ['a uri naming another object', { uri: 's3://offload-bucket/offload/other.json' }, /uri does not name/],
  ['no size', { bytes: undefined }, /no valid size/],
  ['a fractional size', { bytes: 1.5 }, /no valid size/],
  ['a size over maxResolveBytes', { bytes: 1_000_001 }, /over maxResolveBytes/],
  ['a short hash', { sha256: 'abc' }, /no valid sha256/],
  ['an upper-case hash', { sha256: 'A'.repeat(64) }, /no valid sha256/],
  ['version 2', { version: 2 }, /version 2/],
  ['no version', { version: undefined }, /version undefined/],
])('refuses a reference with %s', (_name, change, message) => {
  expect(referenceProblem({ ...pointer, ...change }, policy)).toMatch(message);
});

it('refuses a reference that is not an object', () => {
  for (const claimed of [null, 'offload/x', 3, ['offload-bucket']]) expect(referenceProblem(claimed, policy)).toMatch(/not an object/);
});

it('accepts another bucket only when it is allowed', () => {
  const other = { ...pointer, bucket: 'other-bucket', uri: `s3://other-bucket/${pointer.key}` };
  expect(referenceProblem(other, { ...policy, buckets: ['offload-bucket', 'other-bucket'] })).toBeUndefined();
});

it('checks a prefix without a trailing slash as S3 sees the key: a string prefix', () => {
  expect(readKeyProblem('tenant-a/offload/x.json', 'tenant-a')).toBeUndefined();
  expect(readKeyProblem('tenant-a/../tenant-b/x.json', 'tenant-a')).toMatch(/segment/);
});

it('takes a value for a reference only when its one own key is the well-known one', () => {
  expect(looksLikeReference(good)).toBe(true);
  expect(looksLikeReference({ ...good, other: 1 })).toBe(false);
  expect(looksLikeReference([good])).toBe(false);
  expect(looksLikeReference({ lambdaS3Offload2: pointer })).toBe(false);
  expect(looksLikeReference(null)).toBe(false);
});

it('finds references whole, in objects and arrays, down to the documented depth and no deeper', () => {
  expect(findReferences(good).map((f) => f.path)).toEqual([[]]);
  const event = { a: good, list: [1, { b: good }], deep: {} as Record<string, unknown> };
  let node = event.deep;
  for (let depth = 2; depth < OFFLOAD_RESOLVE_MAX_DEPTH; depth++) node = node.next = {} as Record<string, unknown>;
  node.at8 = good; // depth 8: found
  node.nested = { at9: good }; // depth 9: left alone
  const paths = findReferences(event).map((f) => f.path.join('.'));
  expect(paths).toEqual(['a', 'list.1.b', `deep.${'next.'.repeat(OFFLOAD_RESOLVE_MAX_DEPTH - 2)}at8`]);
});

it('does not look inside class instances or inside a reference', () => {
  class Box {
    inner = good;
  }
  expect(findReferences({ box: new Box() })).toEqual([]);
  expect(findReferences({ lambdaS3Offload: { ...pointer, nested: good } })).toHaveLength(1);
});

it('replaces values at paths without changing the input', () => {
  const input = { a: good, list: [1, { b: good }], keep: { same: true } };
  const frozen = JSON.stringify(input);
  const out = replaceAt(input, [
    { path: ['a'], value: 'A' },
    { path: ['list', 1, 'b'], value: 'B' },
  ]) as typeof input;
  expect(out).toEqual({ a: 'A', list: [1, { b: 'B' }], keep: { same: true } });
  expect(JSON.stringify(input)).toBe(frozen);
  expect(out.keep).toBe(input.keep); // untouched branches are shared
  expect(replaceAt(good, [{ path: [], value: 42 }])).toBe(42);
});

it('plans: exactly maxBytes passes, one byte more offloads, escaping counted; HTTP events pass', () => {
  const max = 2_000;
  const at = 'a'.repeat(max - 2);
  expect(payloadBytes(at)).toBe(max);
  expect(planOffload({}, at, max, false).kind).toBe('pass');
  expect(planOffload({}, `${at}a`, max, false)).toMatchObject({ kind: 'offload', why: 'over' });
  const escaped = '"'.repeat(max / 2); // 1,000 characters, 2,002 bytes
  expect(planOffload({}, escaped, max, false).kind).toBe('offload');
  expect(planOffload({}, { x: 1 }, max, true)).toMatchObject({ kind: 'offload', why: 'always' });
  expect(planOffload(eventOf('http-v2'), `${at}a`, max, false)).toMatchObject({ kind: 'pass', why: expect.stringMatching(/HTTP/) });
});

it('refuses the whole event when any one reference is refused', () => {
  const bad = { lambdaS3Offload: { ...pointer, bucket: 'other-bucket', uri: `s3://other-bucket/${pointer.key}` } };
  const plan = planResolve({ first: good, second: bad }, policy);
  expect(plan.allowed).toEqual([]);
  expect(plan.refused).toMatchObject({ path: ['second'] });
  expect(planResolve({ first: good }, policy).allowed).toHaveLength(1);
});
