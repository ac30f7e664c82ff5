/**
 * The shared emitter (`src/logging/metrics.ts`) with a real Powertools
 * `Metrics`: the set it publishes, what it leaves alone on the user's
 * instance, and that the Powertools package stays an optional peer.
 */
import { Metrics } from '@aws-lambda-powertools/metrics';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { emitOutcome, type MetricsLike } from '../../src/logging/metrics.js';
import { checkMetrics } from '../../src/options/resolve.js';
import { useEmfCapture } from '../support/emf.js';
import { recordingLogger } from '../support/events.js';
import { staticExternals } from '../support/module-graph.js';

const emf = useEmfCapture();

it("publishes <outcome> (Count) and <outcome>Bytes (Bytes) under the instance's namespace, service and default dimensions, plus utility", () => {
  const metrics = new Metrics({ namespace: 'Shop', serviceName: 'orders', defaultDimensions: { environment: 'prod' } });
  emitOutcome(metrics, recordingLogger().logger, 'cache', 'CacheHit', 1, 2_048);
  const dimensions = { service: 'orders', environment: 'prod', utility: 'cache' };
  expect(emf.metrics()).toEqual([
    { name: 'CacheHit', unit: 'Count', value: 1, namespace: 'Shop', dimensions },
    { name: 'CacheHitBytes', unit: 'Bytes', value: 2_048, namespace: 'Shop', dimensions },
  ]);
});

it("leaves the user's instance alone: its stored metrics, dimensions and default dimensions", () => {
  const metrics = new Metrics({ namespace: 'Shop', serviceName: 'orders' });
  metrics.addDimension('route', '/orders');
  metrics.addMetric('OrdersListed', 'Count', 3);
  emitOutcome(metrics, recordingLogger().logger, 'spill', 'Spilled', 1, 7_000_000);
  expect(metrics.hasStoredMetrics()).toBe(true);
  metrics.publishStoredMetrics();
  expect(emf.metrics().map((m) => [m.name, m.dimensions])).toEqual([
    ['Spilled', { service: 'orders', utility: 'spill' }],
    ['SpilledBytes', { service: 'orders', utility: 'spill' }],
    ['OrdersListed', { service: 'orders', route: '/orders' }],
  ]);
});

it('emits nothing without an instance, and nothing when Powertools metrics are disabled', () => {
  emitOutcome(undefined, recordingLogger().logger, 'spill', 'Spilled', 1, 1);
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
  try {
    emitOutcome(new Metrics({ namespace: 'Shop' }), recordingLogger().logger, 'spill', 'Spilled', 1, 1);
  } finally {
    delete process.env.POWERTOOLS_METRICS_DISABLED;
  }
  expect(emf.documents).toEqual([]);
});

it('a Powertools Metrics is a MetricsLike; checkMetrics takes it and refuses what is not', () => {
  const typed: MetricsLike = new Metrics({ namespace: 'Shop' });
  expect(() => checkMetrics(typed)).not.toThrow();
  expect(() => checkMetrics(undefined)).not.toThrow();
  expect(() => checkMetrics({ addMetric: () => undefined })).toThrow(TypeError);
});

const SRC = fileURLToPath(new URL('../../src', import.meta.url));
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );

it('no source file imports @aws-lambda-powertools/metrics, not even its types (an optional peer)', () => {
  const imports = /(?:from\s*|import\s*\(\s*)['"]@aws-lambda-powertools\/metrics/;
  expect(files(SRC).filter((file) => imports.test(readFileSync(file, 'utf8')))).toEqual([]);
  expect(imports.test(readFileSync(fileURLToPath(import.meta.url), 'utf8'))).toBe(true); // the check sees an import
  for (const entry of ['src/index.ts', 'src/offload/index.ts', 'src/uploads/index.ts']) {
    expect([...staticExternals(entry)].filter((name) => name.startsWith('@aws-lambda-powertools/metrics'))).toEqual([]);
  }
});
