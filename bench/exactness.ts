/**
 * Before any timing: the fast size paths must give exactly what
 * `Buffer.byteLength(JSON.stringify(x))` gives, on long strings (the SIMD
 * kernel starts at 64 code units) with escapes, non-ASCII, astral pairs and lone
 * surrogates placed at the kernel's step, block and chunk edges, in Latin-1-only
 * strings and in others.
 */
import { jsonStringBytes, measurePayload, payloadBytes } from '../src/sizing/payload-bytes.js';

const UNITS = [0x61, 0x22, 0x5c, 0x0a, 0x01, 0x1f, 0x7f, 0xe9, 0x7ff, 0x800, 0x20ac, 0xfffd, 0xd83d, 0xde00, 0xd800, 0xdfff];
/** The short-string threshold, a kernel step (64 Latin-1 / 32 UTF-16 units), a block (768 units), the UTF-16 and Latin-1 chunks. */
const EDGES = [63, 64, 96, 768, 1_536, 131_072, 262_144];
const LATIN1_UNITS = UNITS.filter((u) => u <= 0xff);

/** Checks `cases` random strings; throws on the first mismatch. Returns the number of checks. */
export function checkExactness(cases = 400): number {
  let seed = 20261121;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed % n;
  };
  let checks = 0;
  for (let c = 0; c < cases; c++) {
    const length = EDGES[random(EDGES.length)] + random(9) - 4 + (c % 3 === 0 ? random(70_000) : 0);
    const codes = new Uint16Array(length).fill(0x61);
    const density = random(4); // 0: plain, 1: sparse, 2: dense, 3: only at the edges
    const units = c % 2 === 0 ? UNITS : LATIN1_UNITS; // every other string stays Latin-1 (one byte per unit in the kernel)
    for (let i = 0; i < length; i++) {
      if ((density === 1 && random(50) === 0) || (density === 2 && random(3) === 0)) codes[i] = units[random(units.length)];
    }
    for (const edge of EDGES) {
      for (let k = edge - 2; k <= edge + 2; k++) if (k >= 0 && k < length && density > 0) codes[k] = units[random(units.length)];
    }
    const s = Buffer.from(codes.buffer).toString('utf16le');
    const expected = Buffer.byteLength(JSON.stringify(s));
    const got = jsonStringBytes(s);
    if (got !== expected) throw new Error(`jsonStringBytes: ${got} for a string of ${length} units, JSON.stringify says ${expected}`);
    const result = { statusCode: 200, headers: { 'x-n': String(c) }, body: s };
    const exact = payloadBytes(result);
    if (!measurePayload(result, exact).fits || measurePayload(result, exact - 1).fits) {
      throw new Error(`measurePayload decides wrongly at the limit for a body of ${length} units`);
    }
    checks += 3;
  }
  return checks;
}
