/**
 * The metrics of every utility: what a changed response or message did, as
 * CloudWatch metrics in the Embedded Metric Format, through the user's
 * Powertools `Metrics`. The Powertools package is an optional peer: nothing
 * here loads it, the user's instance does the work.
 *
 * @module logging/metrics
 */
import type { SpillLogger } from './default-logger.js';

/**
 * The `metrics` option: a Powertools `Metrics` instance
 * (`new Metrics({ namespace, serviceName })` from `@aws-lambda-powertools/metrics`).
 * Declared here, not imported, so that the package stays an optional peer
 * (for the types too). The units used are Powertools' `MetricUnit.Count` and
 * `MetricUnit.Bytes`.
 */
export interface MetricsLike {
  /** Powertools' `addMetric(name, unit, value)`; checked at creation, as the mark of a `Metrics`. */
  addMetric(name: string, unit: 'Count' | 'Bytes', value: number): unknown;
  /**
   * Powertools' `singleMetric()`: a new instance with the same namespace and
   * default dimensions, which publishes each metric as it is added. The
   * utilities emit through it only.
   */
  singleMetric(): {
    /** Dimensions kept across the instance's flushes: the `utility` dimension goes here. */
    setDefaultDimensions(dimensions: Record<string, string>): unknown;
    /** Add a metric, published at once. */
    addMetric(name: string, unit: 'Count' | 'Bytes', value: number): unknown;
  };
}

/** The utilities, as the value of the `utility` dimension. */
export type MetricsUtility = 'spill' | 'offload' | 'uploads' | 'cache' | 'messages';

/** The dimension that tells the utilities apart, beside the user's `service` and default dimensions. */
export const UTILITY_DIMENSION = 'utility';

/**
 * Emit one outcome: `<outcome>` (Count) and `<outcome>Bytes` (Bytes), with the
 * dimension `utility` over the instance's namespace, `service` and default
 * dimensions. They go through `metrics.singleMetric()`, published at once: the
 * user's own stored metrics and dimensions are not touched, and Powertools'
 * `logMetrics` (or the user's `publishStoredMetrics()`) flushes those as before.
 * A metric that cannot be emitted costs a warning, never the response.
 *
 * @param metrics - the `metrics` option (`undefined`: nothing)
 * @param logger - where a failure to emit is told
 * @param utility - the `utility` dimension
 * @param outcome - the metric name, `Spilled`, `Offloaded`, ...
 * @param count - the Count value (objects, messages, uploads)
 * @param bytes - the Bytes value
 */
export function emitOutcome(
  metrics: MetricsLike | undefined,
  logger: SpillLogger,
  utility: MetricsUtility,
  outcome: string,
  count: number,
  bytes: number,
): void {
  if (metrics === undefined) return;
  try {
    const set = metrics.singleMetric();
    // A default dimension: a single-metric set flushes at each addMetric, and the flush clears the other dimensions.
    set.setDefaultDimensions({ [UTILITY_DIMENSION]: utility });
    set.addMetric(outcome, 'Count', count);
    set.addMetric(`${outcome}Bytes`, 'Bytes', bytes);
  } catch (error) {
    logger.warn(`lambda-s3-spill could not emit the ${outcome} metrics`, { reason: (error as Error | undefined)?.message });
  }
}
