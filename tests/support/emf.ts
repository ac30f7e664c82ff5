/**
 * What Powertools writes while a test runs: a real `Metrics`' EMF documents and
 * a `Logger`'s JSON lines (captureEmf, useEmfCapture), or every line written to
 * stdout or through the console (captureOutput).
 */
import { jest } from '@jest/globals';
import { handleOf, ownedByHooks } from './hooks.js';

/** One CloudWatch EMF document as Powertools writes it. */
export interface EmfDocument {
  readonly _aws: {
    readonly Timestamp: number;
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string; readonly Unit: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

/** A metric as CloudWatch reads it from a document: name, unit, value, namespace and dimensions. */
export interface EmittedMetric {
  readonly name: string;
  readonly unit: string;
  readonly value: unknown;
  readonly namespace: string;
  readonly dimensions: Record<string, unknown>;
}

/** What {@link captureEmf} has captured so far, and how to stop it. */
export interface EmfCapture {
  /** The EMF documents, in the order they were written. */
  readonly documents: EmfDocument[];
  /** The other JSON lines (a Powertools `Logger`'s), from stdout and stderr. */
  readonly logLines: Record<string, unknown>[];
  /** Every metric of {@link EmfCapture.documents}, as CloudWatch reads it. */
  metrics(): EmittedMetric[];
  /** Give stdout and stderr back. */
  stop(): void;
}

/**
 * Capture the EMF documents written to stdout (Powertools' `Console` writes
 * there outside `POWERTOOLS_DEV`), and the other JSON lines on stdout and
 * stderr (a Powertools `Logger`'s); other output goes through. Call `stop()` in `afterEach`.
 */
export function captureEmf(): EmfCapture {
  const documents: EmfDocument[] = [];
  const logLines: Record<string, unknown>[] = [];
  const spies = [process.stdout, process.stderr].map((stream) => {
    const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
    return jest.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      const text = String(chunk);
      if (!text.startsWith('{')) return write(chunk, ...rest);
      // JSON lines: EMF documents, and the lines of a Powertools Logger (the default logger's; warnings go to stderr).
      for (const line of text.split('\n').filter((l) => l !== '')) {
        const parsed = JSON.parse(line) as Record<string, unknown>;
        if ('_aws' in parsed) documents.push(parsed as unknown as EmfDocument);
        else logLines.push(parsed);
      }
      return true;
    }) as typeof stream.write);
  });
  const metrics = (): EmittedMetric[] =>
    documents.flatMap((doc) =>
      doc._aws.CloudWatchMetrics.flatMap((directive) =>
        directive.Metrics.map((m) => ({
          name: m.Name,
          unit: m.Unit,
          value: doc[m.Name],
          namespace: directive.Namespace,
          dimensions: Object.fromEntries(directive.Dimensions.flat().map((d) => [d, doc[d]])),
        })),
      ),
    );
  return { documents, logLines, metrics, stop: () => spies.forEach((spy) => spy.mockRestore()) };
}

/**
 * {@link captureEmf} around each test of the file (or of the `describe` it is
 * called in): started in `beforeEach`, stopped in `afterEach`, so a test sees
 * only what it wrote. Read it inside a test or a hook.
 */
export function useEmfCapture(): Omit<EmfCapture, 'stop'> {
  return handleOf(ownedByHooks({ what: 'the EMF capture', span: 'each', start: captureEmf, stop: (capture) => capture.stop() }));
}

/**
 * Every line written to stdout or through the global console while `run` runs
 * (none of it reaches the terminal). `run` gets the text written so far, chunk
 * by chunk, to check what is out before its promise settles.
 *
 * @returns the lines, blank ones left out
 */
export async function captureOutput(run: (written: readonly string[]) => Promise<unknown>): Promise<string[]> {
  const written: string[] = [];
  const original = process.stdout.write;
  process.stdout.write = function write(chunk: unknown): boolean {
    written.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return true;
  } as typeof process.stdout.write;
  const spies = (['log', 'info', 'warn', 'error', 'debug'] as const).map((level) =>
    jest.spyOn(console, level).mockImplementation((...args: unknown[]) => void written.push(args.map(String).join(' '))),
  );
  try {
    await run(written);
  } finally {
    process.stdout.write = original;
    for (const spy of spies) spy.mockRestore();
  }
  return written.flatMap((text) => text.split('\n')).filter((line) => line.trim() !== '');
}
