/**
 * 2. Sizing alone: the exact size (`measurePayload`, which counts the body
 * without escaping it) against `Buffer.byteLength(JSON.stringify(result))`, on
 * results just under the limit (where no bound decides), and the decision for a
 * result far over it (where a lower bound decides).
 */
import { measurePayload } from '../src/sizing/payload-bytes.js';
import { KIND_LABEL, LIMIT, bodyOf, mb, result, type BodyKind } from './fixtures.js';
import { fmtRatio, fmtRatioSpread, fmtTimeSpread, measure, ratioOf, table, timeOf } from './harness.js';
import type { Section, Target } from './section.js';

const KINDS: readonly BodyKind[] = ['ascii', 'json', 'latin1', 'cjk', 'base64'];
const NEAR = 6_200_000;
const FAR = 50_000_000;

export async function sizing(): Promise<Section> {
  const rows: string[][] = [];
  const targets: Target[] = [];
  const cases: { label: string; value: object; far: boolean }[] = KINDS.map((kind) => ({
    label: `${mb(NEAR)}, ${KIND_LABEL[kind]}`,
    value: result(kind, NEAR),
    far: false,
  }));
  const farBody = bodyOf('json', FAR);
  cases.push({ label: `${mb(FAR)}, JSON text: far over the limit`, value: { statusCode: 200, body: farBody }, far: true });

  for (const c of cases) {
    const reference = Buffer.byteLength(JSON.stringify(c.value));
    const m0 = measurePayload(c.value, LIMIT);
    if (m0.exact ? m0.bytes !== reference : m0.bytes > reference) {
      throw new Error(`sizing ${c.label}: ${m0.bytes} bytes, JSON.stringify says ${reference}`);
    }
    if (m0.fits !== reference <= LIMIT) throw new Error(`sizing ${c.label}: wrong decision`);
    const m = await measure(
      [
        { name: 'naive', fn: () => Buffer.byteLength(JSON.stringify(c.value)) },
        { name: 'exact', fn: () => measurePayload(c.value, LIMIT) },
      ],
      c.far ? { rounds: 3, time: 1, iterations: 2, warmupTime: 1 } : { rounds: 5, time: 60, iterations: 3, warmupTime: 60 },
    );
    const ratio = ratioOf(m, 'exact', 'naive');
    rows.push([
      c.label,
      reference.toLocaleString('en-US'),
      fmtTimeSpread(timeOf(m, 'naive')),
      fmtTimeSpread(timeOf(m, 'exact')),
      fmtRatioSpread(ratio),
      m0.exact ? 'exact size' : `lower bound ${m0.bytes.toLocaleString('en-US')} > limit`,
    ]);
    targets.push({
      figure: `2. sizing ${c.label}`,
      target: c.far ? 'decide without the exact size' : 'exact, cheaper than JSON.stringify',
      measured: `${fmtRatio(ratio.median)} of Buffer.byteLength(JSON.stringify(result))`,
      met: ratio.median < 1 && (c.far ? !m0.exact : m0.exact),
    });
  }
  return {
    title: '2. Sizing alone',
    what:
      '`measurePayload(result, 6_291_556)` against `Buffer.byteLength(JSON.stringify(result))` on the same result, per call. ' +
      'Just under the limit the bounds cannot decide, so the exact size is computed (and checked equal to the naive one before timing).',
    table: table(['result', 'bytes (exact)', 'naive: byteLength(stringify)', '`measurePayload`', '**measure / naive**', 'decided by'], rows),
    notes: [
      'Exact size without escaping: the body is copied as UTF-16, 64 KiB at a time, into one reused buffer and read two code units per 32-bit load; each unit\'s bytes come from a 64 Ki-entry table, with no branch per unit. Strings with surrogates are checked with `isWellFormed()` (a lone surrogate is written `\\udXXX`, 6 bytes).',
      'Far over the limit, one byte per UTF-16 code unit is a lower bound of the JSON size: it proves the overflow in constant time. Between the two, the count stops as soon as it passes the limit.',
    ],
    targets,
  };
}
