/**
 * Errors are recognized across two loaded copies of the library (a `.ts`
 * handler in a CommonJS package under tsx gets `dist` as CommonJS, while a
 * module loaded by `import()` comes from the ESM copy): `instanceof` asks for a
 * brand under `Symbol.for`, shared by every copy. The second copy here is an
 * esbuild bundle of the entries, with classes of its own.
 */
import { buildSync } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as spill from 'lambda-s3-spill';
import * as offload from 'lambda-s3-spill/offload';
import * as uploads from 'lambda-s3-spill/uploads';
import * as messages from 'lambda-s3-spill/messages';

type Entry = Record<string, unknown>;
let dir: string;
const copies: Record<string, Entry> = {};

beforeAll(async () => {
  const root = new URL('../../', import.meta.url).pathname;
  // Inside the project, so the bundle's external packages resolve.
  mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
  dir = mkdtempSync(join(root, 'node_modules/.cache/brand-'));
  for (const [name, entry] of [
    ['spill', 'src/index.ts'],
    ['offload', 'src/offload/index.ts'],
    ['uploads', 'src/uploads/index.ts'],
    ['messages', 'src/messages/index.ts'],
  ]) {
    const outfile = join(dir, `${name}.mjs`);
    buildSync({ absWorkingDir: root, entryPoints: [entry], bundle: true, format: 'esm', platform: 'node', packages: 'external', outfile, logLevel: 'silent' });
    copies[name] = (await import(pathToFileURL(outfile).href)) as Entry;
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type ErrorClass = new (message: string, ...rest: never[]) => Error;
const errorClasses = (entry: Entry): [string, ErrorClass][] =>
  Object.entries(entry).filter(([, value]) => typeof value === 'function' && (value as { prototype?: unknown }).prototype instanceof Error) as [
    string,
    ErrorClass,
  ][];
const make = (cls: ErrorClass): Error =>
  new (cls as unknown as new (m: string, a: unknown, b: unknown) => Error)('x', { bytes: 1, maxBytes: 1, phase: 'load' }, undefined);

it.each([
  ['spill', spill as Entry],
  ['offload', offload as Entry],
  ['uploads', uploads as Entry],
  ['messages', messages as Entry],
])('every error class of %s holds instanceof for an error of the other copy, and only for its own kind', (name, ours) => {
  const classes = errorClasses(ours);
  expect(classes.length).toBeGreaterThan(2);
  for (const [className, cls] of classes) {
    const theirs = copies[name][className] as ErrorClass;
    expect(theirs).not.toBe(cls); // two copies indeed
    const foreign = make(theirs);
    expect([className, foreign instanceof cls]).toEqual([className, true]);
    expect([className, foreign instanceof spill.S3SpillError]).toEqual([className, true]);
    for (const [otherName, other] of classes) {
      // As for an error of this copy: its own class and its bases, no other.
      expect([className, otherName, foreign instanceof other]).toEqual([className, otherName, cls === other || cls.prototype instanceof other]);
    }
  }
});

it('is not fooled by other errors, or by a subclass a user defines without a brand', () => {
  expect(new Error('x') instanceof spill.S3SpillError).toBe(false);
  expect({ message: 'x' } instanceof spill.S3SpillError).toBe(false);
  class MyError extends spill.S3SpillError {}
  expect(new spill.S3SpillError('x') instanceof MyError).toBe(false);
  expect(new MyError('x') instanceof MyError).toBe(true);
  expect(new MyError('x') instanceof spill.S3SpillError).toBe(true);
});

it('scrubs the cause of every error', () => {
  const sdkError = Object.assign(new Error('denied https://b.s3.amazonaws.com/k?X-Amz-Signature=abc'), { Token: 'secret' });
  const error = new uploads.UploadStorageError('S3 failed', { cause: sdkError });
  expect(error.cause).toBe(sdkError);
  expect(JSON.stringify(Object.getOwnPropertyNames(sdkError))).not.toContain('Token');
  expect(sdkError.message).not.toContain('X-Amz-Signature=abc');
});
