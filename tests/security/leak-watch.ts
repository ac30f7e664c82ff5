/**
 * Captures everything a suite logs or throws, to prove that no presigned URL and
 * no credential ever reaches a log line, an error message or a thrown error.
 *
 * A suite calls `watchForLeaks()` at its top: from `beforeAll` to `afterAll` it
 * records every write to `process.stdout` / `process.stderr`, every `console.*`
 * call, every call of the loggers it hands out, and every error it is given via
 * `recordError`, each rendered the way a log sink would (JSON and `util.inspect`
 * with hidden properties). The suite ends with `testNoLeaks(watch, ...)`: a
 * last test that asserts that none of it matches {@link LEAK_PATTERNS}, and
 * that enough was captured for the check to mean something.
 */
import { jest } from '@jest/globals';
import { inspect } from 'node:util';
import type { SpillLogger } from 'lambda-s3-spill';

/** The session token every test client signs with, so any echo of it is found. */
export const SENTINEL_SESSION_TOKEN = 'SESSIONTOKENSENTINEL0123456789abcdefIQoJb3JpZ2luX2Vj';
/** The secret key every test client signs with (s3rver 3.7 checks neither). */
export const SENTINEL_SECRET_KEY = 'S3RVER';
/** The credentials of the test clients. */
export const TEST_CREDENTIALS = {
  accessKeyId: 'S3RVER',
  secretAccessKey: SENTINEL_SECRET_KEY,
  sessionToken: SENTINEL_SESSION_TOKEN,
};

/** What must never be logged or thrown. */
export const LEAK_PATTERNS: readonly RegExp[] = [
  /X-Amz-Signature/i,
  /X-Amz-Credential/i,
  /X-Amz-Security-Token/i,
  new RegExp(SENTINEL_SESSION_TOKEN),
  /Signature=[0-9a-f]{16,}/i,
  /Credential=[A-Z0-9]+\//,
  /CanonicalRequest|StringToSign|SignatureProvided/,
  /Token-0/,
  // Any URL with a query string is treated as a presigned URL.
  /https?:\/\/[^\s"'<>]+\?[^\s"'<>]*=/i,
];

/** Whether a text contains anything in {@link LEAK_PATTERNS}; the matching patterns. */
export function leaksIn(text: string): string[] {
  return LEAK_PATTERNS.filter((pattern) => pattern.test(text)).map(String);
}

/** Render anything the way a log sink could: JSON where possible, and `util.inspect` with hidden properties. */
export function renderForLogs(value: unknown): string {
  let json = '';
  try {
    json = JSON.stringify(value, (_key, v: unknown) =>
      v instanceof Error ? { ...v, name: v.name, message: v.message, stack: v.stack, cause: v.cause } : v,
    );
  } catch {
    json = '';
  }
  return `${json ?? ''}\n${inspect(value, { depth: 8, showHidden: true, breakLength: Infinity })}`;
}

/** A logger that records its calls (for `s3Spill({ logger })`). */
export interface RecordingLogger {
  readonly logger: SpillLogger;
  readonly lines: { level: string; message: string; extra: unknown[] }[];
}

/** The capture of one suite. */
export interface LeakWatch {
  /** Everything captured so far, one entry per write or call. */
  readonly captured: string[];
  /** A recording logger whose lines are captured. */
  recordingLogger(): RecordingLogger;
  /** An `@middy/http-error-handler` logger that records how often, and what, it logged. */
  errorHandlerLogger(): { log: (error: unknown) => void; errors: unknown[] };
  /** Capture an error the test got (thrown, or returned in a response). */
  recordError(error: unknown): void;
  /** Capture a text the test got (a response body, a header). */
  recordText(text: string): void;
}

/** Install the capture for the enclosing suite (call at the top of the file). */
export function watchForLeaks(): LeakWatch {
  const captured: string[] = [];
  const restore: (() => void)[] = [];

  beforeAll(() => {
    for (const stream of [process.stdout, process.stderr]) {
      const original = stream.write;
      stream.write = function write(this: NodeJS.WriteStream, chunk: unknown, ...rest: unknown[]): boolean {
        captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
        return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
      } as typeof stream.write;
      restore.push(() => {
        stream.write = original;
      });
    }
    for (const level of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      const spy = jest.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        captured.push(args.map((arg) => (typeof arg === 'string' ? arg : renderForLogs(arg))).join(' '));
      });
      restore.push(() => spy.mockRestore());
    }
  });
  afterAll(() => {
    for (const undo of restore.reverse()) undo();
  });

  const watch: LeakWatch = {
    captured,
    recordingLogger() {
      const lines: RecordingLogger['lines'] = [];
      const record =
        (level: string) =>
        (message: unknown, ...extra: unknown[]): void => {
          lines.push({ level, message: String(message), extra });
          captured.push(renderForLogs({ level, message, extra }));
        };
      const logger = { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
      return { logger: logger as unknown as SpillLogger, lines };
    },
    errorHandlerLogger() {
      const errors: unknown[] = [];
      return {
        errors,
        log: (error: unknown) => {
          errors.push(error);
          captured.push(renderForLogs(error));
        },
      };
    },
    recordError(error) {
      captured.push(renderForLogs(error));
    },
    recordText(text) {
      captured.push(text);
    },
  };

  return watch;
}

/**
 * The last test of a suite (call at the bottom of the file): nothing captured
 * holds a presigned URL or credential.
 *
 * @param watch - from {@link watchForLeaks}
 * @param suite - a name for the test
 * @param minimumCaptured - fewer captured entries fail the test (proof the capture worked)
 */
export function testNoLeaks(watch: LeakWatch, suite: string, minimumCaptured: number): void {
  test(`${suite}: no log line, message or thrown error holds a presigned URL or credential`, () => {
    expect(watch.captured.length).toBeGreaterThanOrEqual(minimumCaptured);
    const found = watch.captured.flatMap((text, index) => leaksIn(text).map((pattern) => `#${index} ${pattern}`));
    expect(found).toEqual([]);
  });
}
