/**
 * The one check that two key prefixes of a bucket are apart (the props, the
 * uploads and messages props, and `grantUploadKeep` all use it): prefixes are
 * plain text, so one overlaps another when either starts with the other;
 * unresolved tokens and prefixes not in use are not compared.
 */
import { Lazy, Token } from 'aws-cdk-lib';
import { SpillBucketPropsError } from 'lambda-s3-spill/cdk';
import { checkPrefixApart } from '../../cdk/validate-props.js';

const message = (name: string, other: string): string => `overlaps ${name} "${other}"`;
const thrown = (prefix: string, other: string | undefined): unknown => {
  try {
    checkPrefixApart(prefix, [['other', other]], message);
    return undefined;
  } catch (error) {
    return error;
  }
};

test.each<[string, string, string]>([
  ['equal', 'data/', 'data/'],
  ['one inside the other', 'data/', 'data/offload/'],
  ['the other inside the one', 'data/offload/', 'data/'],
  ['a prefix without its slash', 'a', 'ab/'],
  ['an empty prefix (it holds every key)', '', 'data/'],
  ['an empty other prefix', 'data/', ''],
  ['both empty', '', ''],
])('%s: %j and %j overlap', (_name, prefix, other) => {
  const error = thrown(prefix, other);
  expect(error).toBeInstanceOf(SpillBucketPropsError);
  expect((error as Error).message).toBe(`SpillBucket: overlaps other "${other}"`);
});

test.each<[string, string, string]>([
  ['siblings sharing a first letter', 'a/', 'ab/'],
  ['the reverse', 'ab/', 'a/'],
  ['siblings under one parent', 'data/spill/', 'data/offload/'],
  ['same letters, other case', 'Data/', 'data/'],
])('%s: %j and %j are apart', (_name, prefix, other) => {
  expect(thrown(prefix, other)).toBeUndefined();
});

test('a prefix not in use, or known only at deployment, is not compared', () => {
  const token = Token.asString(Lazy.string({ produce: () => 'data/' }));
  expect(thrown('data/', undefined)).toBeUndefined();
  expect(thrown('data/', token)).toBeUndefined();
  expect(thrown(token, 'data/')).toBeUndefined();
});

test('the first overlapped prefix names the error, in the order given', () => {
  const others = [
    ['spill', 'spill/'],
    ['unused', undefined],
    ['uploads', 'in/'],
    ['messages', 'in/messages/'],
  ] as const;
  expect(() => checkPrefixApart('in/', others, message)).toThrow('SpillBucket: overlaps uploads "in/"');
  expect(() => checkPrefixApart('cache/', others, message)).not.toThrow();
});
