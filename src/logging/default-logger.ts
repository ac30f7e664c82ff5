/**
 * The default logger of every utility: a Powertools `Logger`, loaded on first use.
 *
 * @module logging/default-logger
 */
import type { Logger } from '@aws-lambda-powertools/logger';

/** The logger methods the utilities call; a Powertools `Logger` has them. */
export type SpillLogger = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

/** The default logger, with what a utility needs to keep every line synchronous with its invocation. */
export interface DefaultLogger extends SpillLogger {
  /** Load the Powertools module (once), make the `Logger`, write the lines queued before. */
  load(): Promise<void>;
  /** A promise while lines wait for the module, else `undefined`. */
  pending(): Promise<void> | undefined;
}

type Level = 'debug' | 'info' | 'warn' | 'error';

/**
 * The one default logger of every utility (`s3Spill`, `withS3Spill`,
 * `s3Offload`, `s3Uploads`, ...): a Powertools
 * `Logger` with the function's own service name (`POWERTOOLS_SERVICE_NAME`,
 * read by the Logger) or `lambda-s3-spill`.
 *
 * Loaded on first use, not at import: the Powertools module and `new Logger()`
 * cost 5 to 10 ms at a cold start (`npm run bench`, section 0), and a function
 * whose responses fit never logs through it. The core loads it with the
 * spilling code (`execute.js`), so the lines of a spill are written
 * synchronously, as the Logger's own. A line logged before (a warning at
 * creation, unknown `X-S3-Spill` tokens) waits in a queue, in order, and the
 * core does not return from that invocation until it is written: no line is lost.
 */
export function defaultLogger(env: NodeJS.ProcessEnv): DefaultLogger {
  let logger: Logger | undefined;
  let loading: Promise<void> | undefined;
  let failed = false;
  const queued: [Level, unknown[]][] = [];
  const write = (target: Logger, level: Level, args: unknown[]): void =>
    (target[level] as (...line: unknown[]) => void).apply(target, args);
  const load = (): Promise<void> =>
    (loading ??= import('@aws-lambda-powertools/logger').then(
      ({ Logger: PowertoolsLogger }) => {
        const serviceName = env.POWERTOOLS_SERVICE_NAME;
        const made = new PowertoolsLogger(serviceName === undefined || serviceName === '' ? { serviceName: 'lambda-s3-spill' } : {});
        for (const [level, args] of queued.splice(0)) write(made, level, args);
        logger = made;
      },
      (error: unknown) => {
        failed = true;
        // The module could not load (it is a dependency: a broken install). The lines go to stderr rather than nowhere.
        for (const [level, args] of queued.splice(0)) console.error(`lambda-s3-spill ${level}:`, ...args);
        console.error('lambda-s3-spill could not load @aws-lambda-powertools/logger', error);
      },
    ));
  const forward =
    (level: Level) =>
    (...args: unknown[]): void => {
      if (logger !== undefined) return write(logger, level, args);
      if (failed) return console.error(`lambda-s3-spill ${level}:`, ...args);
      queued.push([level, args]);
      void load();
    };
  return {
    debug: forward('debug'),
    info: forward('info'),
    warn: forward('warn'),
    error: forward('error'),
    load,
    pending: () => (queued.length === 0 ? undefined : load()),
  } as DefaultLogger;
}
