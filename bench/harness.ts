/**
 * The measuring harness: tinybench runs every task of a comparison in several
 * rounds (task order rotated each round, a warm-up before the first), and each
 * figure is reported as min / median / max over the rounds of the round's median.
 * Ratios are taken per round (subject median / baseline median, same round),
 * then summarized the same way, so drift between rounds cancels out.
 *
 * Fast tasks are batched (several calls per sample, `overriddenDuration` =
 * time / calls), so the timer's own cost does not flatten the ratios.
 */
import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { Bench, type FnReturnedObject } from 'tinybench';

setFlagsFromString('--expose-gc');
/** A full garbage collection, between samples of tasks that allocate tens of MB (outside the timing). */
export const collectGarbage = runInNewContext('gc') as () => void;

/** A task: a function to call, its name in the tables. */
export interface TaskSpec {
  readonly name: string;
  readonly fn: () => unknown;
  /** Calls per sample; by default enough for about 0.5 ms per sample. */
  readonly batch?: number;
  /** Runs before each sample, outside the timing (e.g. delete the uploaded object). */
  readonly afterEach?: () => Promise<void> | void;
}

/** How long to measure. */
export interface RunOptions {
  /** Rounds (each one a fresh tinybench run of every task). */
  readonly rounds: number;
  /** Time budget per task per round, ms. */
  readonly time: number;
  /** Minimum samples per task per round. */
  readonly iterations: number;
  /** Warm-up budget per task before the first round, ms. */
  readonly warmupTime: number;
}

/** min / median / max. */
export interface Spread {
  readonly min: number;
  readonly median: number;
  readonly max: number;
}

/** Per task: the round medians, in ms per call (and, under `samples`, every sample of every round). */
export type Measured = Map<string, number[]> & { samples?: Map<string, number[]> };

/** Run the tasks; returns each task's per-round median (ms per call). */
export async function measure(tasks: readonly TaskSpec[], options: RunOptions): Promise<Measured> {
  const batches = new Map<string, number>();
  for (const task of tasks) batches.set(task.name, task.batch ?? (await autoBatch(task.fn)));
  const medians: Measured = new Map(tasks.map((t) => [t.name, []]));
  const samples = new Map<string, number[]>(tasks.map((t) => [t.name, []]));
  medians.samples = samples;
  for (let round = 0; round < options.rounds; round++) {
    const bench = new Bench({
      time: options.time,
      iterations: options.iterations,
      warmup: round === 0,
      warmupTime: options.warmupTime,
      warmupIterations: 1,
      throws: true,
      retainSamples: true,
    });
    const order = rotate(tasks, round);
    for (const task of order) {
      const batch = batches.get(task.name)!;
      bench.add(task.name, batched(task.fn, batch), {
        async: true,
        afterEach: task.afterEach === undefined ? undefined : async () => void (await task.afterEach!()),
      });
    }
    await bench.run();
    for (const t of bench.tasks) {
      const r = t.result;
      if (r.state !== 'completed') throw new Error(`${t.name}: ${r.state}`);
      medians.get(t.name)!.push(r.latency.p50);
      samples.get(t.name)!.push(...(r.latency.samples ?? []));
    }
  }
  return medians;
}

function batched(fn: () => unknown, batch: number): () => Promise<FnReturnedObject> {
  return async () => {
    const start = performance.now();
    for (let i = 0; i < batch; i++) {
      const value = fn();
      if (value instanceof Promise) await value;
    }
    const elapsed = performance.now() - start;
    return { overriddenDuration: elapsed / batch, overriddenIterationCost: elapsed };
  };
}

/** Calls per sample so that one sample takes about 0.5 ms (at most 2,000 calls). */
async function autoBatch(fn: () => unknown): Promise<number> {
  let calls = 0;
  const start = performance.now();
  while (performance.now() - start < 20 && calls < 100_000) {
    const value = fn();
    if (value instanceof Promise) await value;
    calls++;
  }
  const perCall = (performance.now() - start) / calls;
  return Math.max(1, Math.min(2_000, Math.ceil(0.5 / perCall)));
}

function rotate<T>(items: readonly T[], by: number): T[] {
  const k = by % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** min / median / max of numbers. */
export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { min: sorted[0], median, max: sorted[sorted.length - 1] };
}

/** The spread of a task's round medians. */
export function timeOf(measured: Measured, task: string): Spread {
  return spread(measured.get(task)!);
}

/** The spread of `subject / baseline`, per round. */
export function ratioOf(measured: Measured, subject: string, baseline: string): Spread {
  const s = measured.get(subject)!;
  const b = measured.get(baseline)!;
  return spread(s.map((v, i) => v / b[i]));
}

/**
 * For slow, noisy tasks (uploads): the median of every sample of `subject`
 * over the median of every sample of `baseline`, with the per-round ratios'
 * min and max as the spread.
 */
export function pooledRatioOf(measured: Measured, subject: string, baseline: string): Spread {
  const rounds = ratioOf(measured, subject, baseline);
  const all = measured.samples!;
  return { min: rounds.min, median: spread(all.get(subject)!).median / spread(all.get(baseline)!).median, max: rounds.max };
}

/** The median of every sample of a task (min and max over rounds of the round medians). */
export function pooledTimeOf(measured: Measured, task: string): Spread {
  const rounds = timeOf(measured, task);
  return { min: rounds.min, median: spread(measured.samples!.get(task)!).median, max: rounds.max };
}

/** The spread of `(subject - floor) / reference`, per round: an added cost against a reference cost. */
export function addedRatioOf(measured: Measured, subject: string, floor: string, reference: string): Spread {
  const s = measured.get(subject)!;
  const f = measured.get(floor)!;
  const r = measured.get(reference)!;
  return spread(s.map((v, i) => Math.max(0, v - f[i]) / r[i]));
}

/** A duration in ms, with a unit that keeps 3 significant digits. */
export function fmtTime(ms: number): string {
  const size = Math.abs(ms);
  if (size < 0.001) return `${(ms * 1e6).toFixed(0)} ns`;
  if (size < 1) return `${(ms * 1e3).toPrecision(3)} µs`;
  if (size < 1000) return `${ms.toPrecision(3)} ms`;
  return `${(ms / 1000).toPrecision(3)} s`;
}

/** `median (min–max)` of times. */
export function fmtTimeSpread(s: Spread): string {
  return `${fmtTime(s.median)} (${fmtTime(s.min)}–${fmtTime(s.max)})`;
}

/** A ratio, `1.03×`; very large ones without decimals. */
export function fmtRatio(r: number): string {
  if (r >= 100) return `${r.toFixed(0)}×`;
  if (r >= 10) return `${r.toFixed(1)}×`;
  return `${r.toFixed(3)}×`;
}

/** `median× (min–max)` of ratios. */
export function fmtRatioSpread(s: Spread): string {
  return `**${fmtRatio(s.median)}** (${fmtRatio(s.min)}–${fmtRatio(s.max)})`;
}

/** A Markdown table. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}
