/** What a real Powertools `Metrics` writes: its EMF documents, taken from stdout while the test runs. */
import { jest } from '@jest/globals';

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

/**
 * Capture the EMF documents written to stdout (Powertools' `Console` writes
 * there outside `POWERTOOLS_DEV`); other output goes through. Call `stop()`
 * in `afterEach`.
 */
export function captureEmf(): { documents: EmfDocument[]; metrics: () => EmittedMetric[]; stop: () => void } {
  const documents: EmfDocument[] = [];
  const write = process.stdout.write.bind(process.stdout) as (...args: unknown[]) => boolean;
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    for (const line of String(chunk).split('\n')) {
      if (!line.startsWith('{"_aws"')) continue;
      documents.push(JSON.parse(line) as EmfDocument);
    }
    return String(chunk).startsWith('{"_aws"') ? true : write(chunk, ...rest);
  }) as typeof process.stdout.write);
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
  return { documents, metrics, stop: () => spy.mockRestore() };
}
