/** What each benchmark section hands to `run.ts`. */

/** One target of the issue, and whether this run met it. */
export interface Target {
  readonly figure: string;
  readonly target: string;
  readonly measured: string;
  readonly met: boolean;
  /** When not met: why, with the numbers (printed under the targets). */
  readonly why?: string;
}

/** A section of the report: a heading, a Markdown table, notes, targets. */
export interface Section {
  readonly title: string;
  readonly what: string;
  readonly table: string;
  readonly notes: readonly string[];
  readonly targets: readonly Target[];
}

/** Count `JSON.stringify` calls made while `fn` runs (the global is restored after). */
export async function countStringify(fn: () => unknown): Promise<number> {
  const original = JSON.stringify;
  let calls = 0;
  JSON.stringify = function counted(this: unknown, ...args: Parameters<typeof JSON.stringify>) {
    calls++;
    return original.apply(this, args);
  } as typeof JSON.stringify;
  try {
    await fn();
  } finally {
    JSON.stringify = original;
  }
  return calls;
}
