/**
 * 4. Memory: peak RSS above the baseline while a 50 MB body is spilled, as a
 * multiple of the body size; one child process per case, so every baseline is clean.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mb } from './fixtures.js';
import { NODE } from './local-s3.js';
import { spread, table } from './harness.js';
import type { Section, Target } from './section.js';

const run = promisify(execFile);
const BODY = 50_000_000;
const REPEATS = 2;

interface CaseResult {
  readonly above: number;
  readonly resetPeak: boolean;
  readonly ms: number;
}

async function runCase(endpoint: string, bucket: string, mode: string, kind: string): Promise<CaseResult> {
  const script = new URL('./memory-case.ts', import.meta.url).pathname;
  const { stdout } = await run(NODE, ['--expose-gc', '--import', 'tsx', script, endpoint, bucket, mode, kind, String(BODY)], {
    maxBuffer: 1 << 20,
  });
  return JSON.parse(stdout.trim().split('\n').pop()!) as CaseResult;
}

export async function memory(endpoint: string, bucket: string): Promise<Section> {
  const rows: string[][] = [];
  const targets: Target[] = [];
  let resetPeak = true;
  for (const kind of ['string', 'base64'] as const) {
    const results: Record<string, number[]> = { s3Spill: [], floor: [] };
    for (let i = 0; i < REPEATS; i++) {
      for (const mode of ['s3Spill', 'floor'] as const) {
        const r = await runCase(endpoint, bucket, mode, kind);
        resetPeak &&= r.resetPeak;
        results[mode].push(r.above);
      }
    }
    const spill = spread(results.s3Spill);
    const floor = spread(results.floor);
    const label =
      kind === 'string'
        ? `${mb(BODY)} string body (JSON text)`
        : `${mb(BODY)} base64 body (${mb((BODY / 4) * 3)} decoded)`;
    rows.push([
      label,
      `${mb(spill.median)} (${mb(spill.min)}–${mb(spill.max)})`,
      `**${(spill.median / BODY).toFixed(2)}×**`,
      `${mb(floor.median)} (${(floor.median / BODY).toFixed(2)}×)`,
    ]);
    targets.push({
      figure: `4. memory, ${label}`,
      target: 'peak RSS above baseline ≤ 1.5× the body',
      measured: `${(spill.median / BODY).toFixed(2)}×`,
      met: spill.median / BODY <= 1.5,
    });
  }
  return {
    title: '4. Memory',
    what:
      `Peak RSS above the baseline (the process with the response already built) while one body is spilled, median of ${REPEATS} fresh processes per case. ` +
      'Floor: `Buffer.from(body)` (or the base64 decode) + `PutObject` + `getSignedUrl` in the same conditions. ' +
      (resetPeak
        ? 'Peak read from the kernel (VmHWM, reset through `/proc/self/clear_refs` just before the spill).'
        : 'Peak from 1 ms RSS samples (`/proc/self/clear_refs` could not be written here).'),
    table: table(['body', '`s3Spill`: peak RSS above baseline', '**÷ body size**', 'floor: encode + PutObject + sign'], rows),
    notes: [
      'The body is turned into bytes once (a string: one UTF-8 `Buffer`; base64: one decode, after a regular-expression check that copies nothing) and that `Buffer` is sent as it is.',
    ],
    targets,
  };
}
