/**
 * 2. Sizing alone: the exact size (`measurePayload`, which counts the body
 * without escaping it) against `Buffer.byteLength(JSON.stringify(result))`, on
 * results between the bound and the limit (where no bound decides: from about
 * 1 MB up to the limit), and the decision for a result far over it (where a
 * lower bound decides). Two native one-pass reads of the same body are timed in
 * the same rounds, as floors: no exact count can read the body faster.
 */
import { measurePayload } from '../src/sizing/payload-bytes.js';
import { KIND_LABEL, LIMIT, bodyOf, result, resultWithBody, sizeName, type BodyKind } from './fixtures.js';
import { fmtRatio, fmtRatioSpread, fmtTimeSpread, measure, ratioOf, table, timeOf } from './harness.js';
import type { Section, Target } from './section.js';

/** The kinds the target names (ASCII, JSON text, base64), then every other kind measured. */
const TARGET_KINDS: readonly BodyKind[] = ['ascii', 'json', 'base64'];
const OTHER_KINDS: readonly BodyKind[] = ['latin1', 'cjk', 'emoji', 'json-emoji', 'control', 'lone'];
/** Bodies of 1, 2 and 4 MiB (their JSON string, quotes excluded); then results just under the limit. */
const MIB_BODIES = [1_048_576, 2_097_152, 4_194_304];
const NEAR = 6_200_000;
const FAR = 50_000_000;
/** The target of issue 15 for ASCII, JSON text and base64 at 6.2 MB: exact sizing at most this times the naive check. */
const TARGET_RATIO = 0.08;

export async function sizing(): Promise<Section> {
  const rows: string[][] = [];
  const targets: Target[] = [];
  interface Case {
    readonly label: string;
    readonly value: { body: string };
    readonly far: boolean;
    readonly target?: number;
  }
  const cases: Case[] = [];
  for (const size of MIB_BODIES) {
    for (const kind of TARGET_KINDS) cases.push({ label: `body ${sizeName(size)}, ${KIND_LABEL[kind]}`, value: resultWithBody(kind, size), far: false });
  }
  for (const kind of [...TARGET_KINDS, ...OTHER_KINDS]) {
    cases.push({
      label: `result ${sizeName(NEAR)}, ${KIND_LABEL[kind]}`,
      value: result(kind, NEAR),
      far: false,
      target: TARGET_KINDS.includes(kind) ? TARGET_RATIO : undefined,
    });
  }
  cases.push({ label: `result ${sizeName(FAR)}, JSON text: far over the limit`, value: { statusCode: 200, body: bodyOf('json', FAR) } as never, far: true });

  const encoder = new TextEncoder();
  const reused = new Uint8Array(3 * NEAR);
  for (const c of cases) {
    const reference = Buffer.byteLength(JSON.stringify(c.value));
    const m0 = measurePayload(c.value, LIMIT);
    if (m0.exact ? m0.bytes !== reference : m0.fits ? m0.bytes < reference : m0.bytes > reference) {
      throw new Error(`sizing ${c.label}: ${m0.bytes} bytes, JSON.stringify says ${reference}`);
    }
    if (m0.fits !== reference <= LIMIT) throw new Error(`sizing ${c.label}: wrong decision`);
    const body = c.value.body;
    const m = await measure(
      [
        { name: 'naive', fn: () => Buffer.byteLength(JSON.stringify(c.value)) },
        { name: 'exact', fn: () => measurePayload(c.value, LIMIT) },
        { name: 'byteLength', fn: () => Buffer.byteLength(body) },
        { name: 'encodeInto', fn: () => encoder.encodeInto(body, reused) },
      ],
      c.far ? { rounds: 3, time: 1, iterations: 2, warmupTime: 1 } : { rounds: 7, time: 80, iterations: 3, warmupTime: 60 },
    );
    const ratio = ratioOf(m, 'exact', 'naive');
    const overByteLength = ratioOf(m, 'exact', 'byteLength');
    rows.push([
      c.label,
      reference.toLocaleString('en-US'),
      fmtTimeSpread(timeOf(m, 'naive')),
      fmtTimeSpread(timeOf(m, 'exact')),
      fmtRatioSpread(ratio),
      c.far ? '–' : fmtTimeSpread(timeOf(m, 'byteLength')),
      c.far ? '–' : fmtTimeSpread(timeOf(m, 'encodeInto')),
      c.far ? '–' : fmtRatioSpread(overByteLength),
      m0.exact ? 'exact size' : m0.fits ? `upper bound ${m0.bytes.toLocaleString('en-US')} ≤ limit` : `lower bound ${m0.bytes.toLocaleString('en-US')} > limit`,
    ]);
    if (c.far) {
      targets.push({
        figure: `2. sizing ${c.label}`,
        target: 'decide without the exact size',
        measured: `${fmtRatio(ratio.median)} of Buffer.byteLength(JSON.stringify(result))`,
        met: ratio.median < 1 && !m0.exact,
      });
    } else if (c.target !== undefined) {
      targets.push({
        figure: `2. sizing ${c.label}`,
        target: `exact, ≤ ${c.target}× Buffer.byteLength(JSON.stringify(result))`,
        measured: `${fmtRatio(ratio.median)} (Buffer.byteLength(body) alone: ${fmtRatio(ratioOf(m, 'byteLength', 'naive').median)})`,
        met: ratio.median <= c.target && m0.exact,
      });
    } else if (c.label.startsWith(`result ${sizeName(NEAR)}`)) {
      targets.push({
        figure: `2. sizing ${c.label}`,
        target: 'exact, cheaper than JSON.stringify',
        measured: `${fmtRatio(ratio.median)} of Buffer.byteLength(JSON.stringify(result))`,
        met: ratio.median < 1 && m0.exact,
      });
    }
  }
  return {
    title: '2. Sizing alone',
    what:
      '`measurePayload(result, 6_291_556)` against `Buffer.byteLength(JSON.stringify(result))` on the same result, per call. ' +
      'From a body of about 1,048,000 UTF-16 code units (6 bytes each is then over the limit) up to the limit the bounds cannot decide, so the exact size is computed (and checked equal to the naive one before timing); a 1 MiB body of JSON text is about 864,000 code units (its escapes take bytes), so the upper bound still decides there. ' +
      'Floors, timed in the same rounds: two native one-pass reads of the body alone, `Buffer.byteLength(body)` and `TextEncoder#encodeInto(body, reused)` (a reused 18.6 MB buffer). ' +
      'Sizes in bytes (MB = 10^6, MiB = 2^20): of the body\'s JSON string for the MiB rows, of the whole serialized result otherwise; the second column is always the serialized result.',
    table: table(
      [
        'result',
        'bytes (exact)',
        'naive: byteLength(stringify)',
        '`measurePayload`',
        '**measure / naive**',
        'floor: `Buffer.byteLength(body)`',
        'floor: `encodeInto(body)`',
        'measure / byteLength(body)',
        'decided by',
      ],
      rows,
    ),
    notes: [
      'Exact size without escaping: the body is copied, 256 KiB at a time, into the memory of a WebAssembly SIMD kernel (`src/sizing/escape-kernel.ts`, its binary written by a small emitter there) that sums each code unit\'s extra JSON bytes 16 units per step (a Latin-1 group of 16 bytes with none to count is skipped after three comparisons). ' +
        'A chunk with no code unit above U+00FF is copied as Latin-1, one byte per unit (for a one-byte V8 string, a memcpy; the test `/[^\\u0000-\\u00ff]/` costs nothing on such a string); any other chunk as UTF-16, where the kernel also pairs surrogates, across chunk edges too (a lone surrogate is `\\udXXX`, 6 bytes).',
      'A string longer than one chunk that V8 stores two-byte (asked of V8\'s serializer: the tag of a 16-unit slice) goes as UTF-16 from its start, so the JSON text with one emoji at its end (a two-byte string of Latin-1 text until then) is not scanned by that test; a string of one chunk or less is (at most 262,144 units, about 0.13 ms here).',
      'Tried and dropped (same machine, same fixtures, 6.2 MB): `TextEncoder#encodeInto` into the kernel\'s memory then a count of escapes in the UTF-8 bytes, 0.03× for ASCII, JSON text and base64 but 1.1× for Latin-1 text and 0.58× for CJK (V8 encodes those a character at a time); `Buffer.byteLength(body)` plus `indexOf` loops for `"` and `\\` and a global regular expression for U+0000-U+001F, 0.38× for ASCII, 1.08× for JSON text, 0.37× for base64; `Buffer.byteLength(body)` plus one global regular expression for all escapes, 0.54× for ASCII, 1.75× for JSON text; the UTF-16 kernel for every string, 0.07× for ASCII but 0.27× for base64 (Node makes a large base64 string external, and copying one as UTF-16 is slow).',
      'Far over the limit, one byte per UTF-16 code unit is a lower bound of the JSON size: it proves the overflow in constant time. Between the two, the count stops as soon as it passes the limit.',
    ],
    targets,
  };
}
