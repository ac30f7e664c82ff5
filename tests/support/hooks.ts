/**
 * Values that Jest's hooks own: made in `beforeAll` (or `beforeEach`), disposed
 * of in `afterAll` (`afterEach`), read by the tests through a handle. The
 * `use…` helpers (useLocalS3, useEmfCapture, the messages tests' useWorld) are
 * built on these two functions.
 */

/** How {@link ownedByHooks} makes and disposes of a value. */
export interface OwnedByHooks<T> {
  /** What the value is, for the error when it is read outside its span. */
  readonly what: string;
  /** `all`: from `beforeAll` to `afterAll`; `each`: from `beforeEach` to `afterEach`. */
  readonly span: 'all' | 'each';
  readonly start: () => T | Promise<T>;
  readonly stop: (value: T) => void | Promise<void>;
  /** Both hooks' timeout, in milliseconds. @default Jest's `testTimeout` */
  readonly timeoutMs?: number;
}

/**
 * Register the hooks of the file (or of the `describe` it is called in) that
 * make and dispose of a value.
 *
 * @returns the value of the moment; it throws outside the span
 */
export function ownedByHooks<T>(owned: OwnedByHooks<T>): () => T {
  let current: T | undefined;
  const [before, after] = owned.span === 'all' ? [beforeAll, afterAll] : [beforeEach, afterEach];
  before(async () => {
    current = await owned.start();
  }, owned.timeoutMs);
  after(async () => {
    const value = current;
    current = undefined;
    if (value !== undefined) await owned.stop(value);
  }, owned.timeoutMs);
  return () => {
    if (current === undefined) throw new Error(`${owned.what} is there in tests and hooks only (${owned.span === 'all' ? 'beforeAll to afterAll' : 'around each test'})`);
    return current;
  };
}

/**
 * A stand-in for the value `current()` returns when it is read: its properties
 * and its methods (bound to it). So a file can name the value once, at its
 * top, before the value exists.
 */
export function handleOf<T extends object>(current: () => T): T {
  return new Proxy({} as T, {
    get(_target, key) {
      const value = current();
      const member: unknown = Reflect.get(value, key, value);
      return typeof member === 'function' ? (member as (...args: unknown[]) => unknown).bind(value) : member;
    },
  });
}
