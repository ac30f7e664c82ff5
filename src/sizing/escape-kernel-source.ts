/**
 * The source of the escape kernel's WebAssembly module (`KERNEL_WASM` in
 * `escape-kernel.ts`): a small emitter of its binary encoding, the
 * instructions by name. Not loaded at run time; `tests/sizing/escape-kernel.test.ts`
 * checks that `KERNEL_WASM` is what {@link kernelModule} emits.
 *
 * Encoding: WebAssembly core specification 2.0, chapter 5 "Binary format"
 * (SIMD instructions: prefix 0xFD, section 5.4.8).
 *
 * @module sizing/escape-kernel-source
 */
import { KERNEL_BYTES, KERNEL_STEP } from './escape-kernel.js';

// ---------------------------------------------------------------------------
// The emitter: the few instructions the kernel uses, by name.

const I32 = 0x7f;
const V128 = 0x7b;
const VOID = 0x40;
const op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  br: 0x0c,
  brIf: 0x0d,
  end: 0x0b,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Const: 0x41,
  i32LtU: 0x49,
  i32GeU: 0x4f,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Shl: 0x74,
} as const;
/** SIMD opcodes (after the 0xFD prefix, as unsigned LEB128). */
const simd = {
  load: 0x00,
  const: 0x0c,
  shuffle: 0x0d,
  swizzle: 0x0e,
  i8x16Splat: 0x0f,
  i32x4ExtractLane: 0x1b,
  i8x16Eq: 0x23,
  i8x16LtS: 0x25,
  and: 0x4e,
  or: 0x50,
  anyTrue: 0x53,
  i8x16NarrowI16x8U: 0x66,
  i8x16ShrU: 0x6d,
  i8x16Add: 0x6e,
  i8x16Sub: 0x71,
  i8x16MinU: 0x77,
  i16x8ExtaddPairwiseI8x16U: 0x7d,
  i32x4ExtaddPairwiseI16x8U: 0x7f,
  i16x8ShrU: 0x8d,
  i16x8MinU: 0x97,
  i32x4Add: 0xae,
} as const;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

const v = (code: number, ...immediates: number[]): number[] => [0xfd, ...uleb(code), ...immediates];
const bytes16 = (lanes: readonly number[]): number[] => v(simd.const, ...lanes);
const splat8 = (byte: number): number[] => bytes16(new Array<number>(16).fill(byte));
const splat16 = (unit: number): number[] => bytes16(new Array<number>(8).fill(0).flatMap(() => [unit & 0xff, unit >>> 8]));
const get = (local: number): number[] => [op.localGet, local];
const set = (local: number): number[] => [op.localSet, local];
const i32 = (n: number): number[] => [op.i32Const, ...sleb(n)];
/** `v128.load` at the offset local plus `offset`, 16-byte aligned. */
const load = (local: number, offset: number): number[] => [...get(local), ...v(simd.load, 4, ...uleb(offset))];

const section = (id: number, content: number[]): number[] => [id, ...uleb(content.length), ...content];
const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
const name = (s: string): number[] => [...uleb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

// ---------------------------------------------------------------------------
// The two count functions.

/** 16-lane groups summed in 8-bit lanes before they are widened: at most 5 per lane per group, 48 x 5 = 240 < 256. */
const GROUPS_PER_BLOCK = 48;

/** By a byte's high nibble (the swizzle's index): 5 for a control character (`\u00XX`), 1 for 0x80-0xFF (2 UTF-8 bytes). */
const BY_HIGH_NIBBLE = [5, 5, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1];
/** For bytes 0x00-0x0F (the swizzle's index; it gives 0 for an index >= 16): 4 where the escape is 2 bytes, not 6. */
const SHORT_ESCAPES = [0, 0, 0, 0, 0, 0, 0, 0, 4, 4, 4, 0, 4, 4, 0, 0];

/**
 * The escape weights of the 16 bytes in `local` (each a character up to
 * U+00FF): 5 for a control character, 1 for `\b \t \n \f \r`, `"` and `\`; and
 * 1 for a byte 0x80-0xFF. Leaves one v128 on the stack.
 */
const latin1Weights = (local: number): number[] => [
  // by the high nibble: 5 for 0x00-0x1F, 1 for 0x80-0xFF, 0 otherwise ...
  ...bytes16(BY_HIGH_NIBBLE),
  ...get(local),
  ...i32(4),
  ...v(simd.i8x16ShrU),
  ...v(simd.swizzle),
  // ... less 4 for \b \t \n \f \r
  ...bytes16(SHORT_ESCAPES),
  ...get(local),
  ...v(simd.swizzle),
  ...v(simd.i8x16Sub),
  // ... and 1 for `"` and `\`: a comparison is -1 in each matching lane
  ...get(local),
  ...splat8(0x22),
  ...v(simd.i8x16Eq),
  ...v(simd.i8x16Sub),
  ...get(local),
  ...splat8(0x5c),
  ...v(simd.i8x16Eq),
  ...v(simd.i8x16Sub),
];

interface Kernel {
  /** Locals beyond the shared ones (all v128). */
  readonly vectors: number;
  /** Instructions run once before the loop. */
  readonly setup: number[];
  /** Bytes read per group. */
  readonly groupBytes: number;
  /** One group at byte `offset` from the offset local: adds to the sums. */
  group(offset: number): number[];
}

/*
 * Locals shared by both functions: 0 the padded length in bytes (param), 1 a
 * second param, 2 the offset, 3 the end of the block, 4 the 8-bit sums, 5 their
 * 32-bit total, 6 the 8-bit pair counts, 7 their 32-bit total; then the kernel's own v128s.
 */
const [LENGTH, , OFFSET, BLOCK_END, SUM8, SUM32, PAIRS8, PAIRS32] = [0, 1, 2, 3, 4, 5, 6, 7];
const FIRST_FREE = 8;

const lanesSum = (local: number): number[] => [
  ...get(local),
  ...v(simd.i32x4ExtractLane, 0),
  ...get(local),
  ...v(simd.i32x4ExtractLane, 1),
  op.i32Add,
  ...get(local),
  ...v(simd.i32x4ExtractLane, 2),
  op.i32Add,
  ...get(local),
  ...v(simd.i32x4ExtractLane, 3),
  op.i32Add,
];
const widenInto = (from: number, into: number): number[] => [
  ...get(into),
  ...get(from),
  ...v(simd.i16x8ExtaddPairwiseI8x16U),
  ...v(simd.i32x4ExtaddPairwiseI16x8U),
  ...v(simd.i32x4Add),
  ...set(into),
];

/** A count function `(paddedBytes, param) -> i32`: the sums of the weights, less 8 per surrogate pair. */
function countFunction(k: Kernel): number[] {
  const perStep = KERNEL_STEP / k.groupBytes;
  const body: number[] = [
    ...k.setup,
    op.block,
    VOID,
    op.loop,
    VOID,
    // while offset < length
    ...get(OFFSET),
    ...get(LENGTH),
    op.i32GeU,
    op.brIf,
    1,
    // blockEnd = min(offset + block, length)
    ...get(OFFSET),
    ...i32(GROUPS_PER_BLOCK * k.groupBytes),
    op.i32Add,
    op.localTee,
    BLOCK_END,
    ...get(LENGTH),
    ...get(BLOCK_END),
    ...get(LENGTH),
    op.i32LtU,
    op.select,
    ...set(BLOCK_END),
    ...splat8(0),
    ...set(SUM8),
    ...splat8(0),
    ...set(PAIRS8),
    op.loop,
    VOID,
    ...Array.from({ length: perStep }, (_, g) => k.group(g * k.groupBytes)).flat(),
    ...get(OFFSET),
    ...i32(KERNEL_STEP),
    op.i32Add,
    op.localTee,
    OFFSET,
    ...get(BLOCK_END),
    op.i32LtU,
    op.brIf,
    0,
    op.end,
    ...widenInto(SUM8, SUM32),
    ...widenInto(PAIRS8, PAIRS32),
    op.br,
    0,
    op.end,
    op.end,
    ...lanesSum(SUM32),
    ...lanesSum(PAIRS32),
    ...i32(3),
    op.i32Shl,
    op.i32Sub,
    op.end,
  ];
  const code = [...vec([[2, I32], [4 + k.vectors, V128]]), ...body];
  return [...uleb(code.length), ...code];
}

/**
 * Latin-1: one byte per code unit; the second param is unused. Each group is
 * first tested for a byte that weighs anything (three comparisons, 5 of the 13
 * instructions of the weights, which reuse them): most groups of ASCII text and
 * of base64 have none and are skipped, about 1.6 times faster than weighing
 * every group; JSON text, with a `"` in nearly every group, pays 3 % more.
 */
const LATIN1: Kernel = (() => {
  const [GROUP, LOW_OR_HIGH, QUOTE, BACKSLASH] = [0, 1, 2, 3].map((i) => FIRST_FREE + i);
  return {
    vectors: 4,
    setup: [],
    groupBytes: 16,
    group: (offset) => [
      // Three masks: below 0x20 or above 0x7F (signed less than 0x20), `"`, `\` ...
      ...load(OFFSET, offset),
      op.localTee,
      GROUP,
      ...splat8(0x20),
      ...v(simd.i8x16LtS),
      op.localTee,
      LOW_OR_HIGH,
      ...get(GROUP),
      ...splat8(0x22),
      ...v(simd.i8x16Eq),
      op.localTee,
      QUOTE,
      ...v(simd.or),
      ...get(GROUP),
      ...splat8(0x5c),
      ...v(simd.i8x16Eq),
      op.localTee,
      BACKSLASH,
      ...v(simd.or),
      // ... and the weights only where one is set (most groups of ASCII text and base64 have none)
      ...v(simd.anyTrue),
      op.if,
      VOID,
      ...get(SUM8),
      // 5 for a control character, 1 for 0x80-0xFF (negative as signed bytes) ...
      ...get(LOW_OR_HIGH),
      ...splat8(5),
      ...v(simd.and),
      ...get(GROUP),
      ...splat8(0),
      ...v(simd.i8x16LtS),
      ...splat8(4),
      ...v(simd.and),
      ...v(simd.i8x16Sub),
      // ... less 4 for \b \t \n \f \r, and 1 for `"` and `\`
      ...bytes16(SHORT_ESCAPES),
      ...get(GROUP),
      ...v(simd.swizzle),
      ...v(simd.i8x16Sub),
      ...get(QUOTE),
      ...v(simd.i8x16Sub),
      ...get(BACKSLASH),
      ...v(simd.i8x16Sub),
      ...v(simd.i8x16Add),
      ...set(SUM8),
      op.end,
    ],
  };
})();

/**
 * UTF-16: 16 code units per group, read as two i16x8 vectors and narrowed to
 * bytes twice: `min(u, 0xff)` (the Latin-1 weights, where 0xff stands for any
 * unit above U+00FF: 1 more UTF-8 byte) and `u >> 10` (2 or more: U+0800 and up,
 * 1 more byte; 54 and 55: a high and a low surrogate). Every surrogate weighs 5
 * (`\udXXX`); a low one right after a high one makes a pair, counted apart and
 * taken back 8 each (a pair is 4 bytes, not 12). The previous group's high
 * surrogates are shifted in by one lane; the second param seeds them (a high
 * surrogate ended the previous chunk).
 */
const UTF16: Kernel = (() => {
  const [A, B, LOW, TOP, HIGH, HIGH_BEFORE] = [0, 1, 2, 3, 4, 5].map((i) => FIRST_FREE + i);
  const AFTER_HIGH = 1;
  const narrow = (f: number[]): number[] => [...get(A), ...f, ...get(B), ...f, ...v(simd.i8x16NarrowI16x8U)];
  const group = (offset: number): number[] => [
    ...load(OFFSET, offset),
    ...set(A),
    ...load(OFFSET, offset + 16),
    ...set(B),
    ...narrow([...splat16(0xff), ...v(simd.i16x8MinU)]),
    ...set(LOW),
    ...narrow([...i32(10), ...v(simd.i16x8ShrU)]),
    ...set(TOP),
    // sums += Latin-1 weights of min(u, 0xff) ...
    ...get(SUM8),
    ...latin1Weights(LOW),
    // ... + 1 from U+0800 (top >= 2): min(top, 2) >> 1 ...
    ...get(TOP),
    ...splat8(2),
    ...v(simd.i8x16MinU),
    ...i32(1),
    ...v(simd.i8x16ShrU),
    ...v(simd.i8x16Add),
    // ... + 3 for a surrogate (1 + 1 so far): 5
    ...get(TOP),
    ...splat8(54),
    ...v(simd.i8x16Eq),
    op.localTee,
    HIGH,
    ...get(TOP),
    ...splat8(55),
    ...v(simd.i8x16Eq),
    op.localTee,
    TOP, // now: the low surrogates
    ...v(simd.or),
    ...splat8(3),
    ...v(simd.and),
    ...v(simd.i8x16Add),
    ...v(simd.i8x16Add),
    ...set(SUM8),
    // pairs: a low surrogate whose previous unit is a high one
    ...get(PAIRS8),
    ...get(TOP),
    ...get(HIGH_BEFORE),
    ...get(HIGH),
    ...v(simd.shuffle, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30),
    ...v(simd.and),
    ...v(simd.i8x16Sub),
    ...set(PAIRS8),
    ...get(HIGH),
    ...set(HIGH_BEFORE),
  ];
  return {
    vectors: 6,
    // highBefore = afterHigh ? -1 in lane 15 : 0
    setup: [...bytes16([...new Array<number>(15).fill(0), 0xff]), ...splat8(0), ...get(AFTER_HIGH), op.select, ...set(HIGH_BEFORE)],
    groupBytes: 32,
    group,
  };
})();

/** The module: one memory (exported), `latin1` and `utf16`, both `(i32, i32) -> i32`. The source of `KERNEL_WASM`. */
export function kernelModule(): Uint8Array<ArrayBuffer> {
  const pages = (KERNEL_BYTES + KERNEL_STEP + 0xffff) >>> 16;
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, vec([[0x60, ...vec([[I32], [I32]]), ...vec([[I32]])]])),
    ...section(3, vec([[0], [0]])),
    ...section(5, vec([[0x00, ...uleb(pages)]])),
    ...section(7, vec([[...name('memory'), 0x02, 0], [...name('latin1'), 0x00, 0], [...name('utf16'), 0x00, 1]])),
    ...section(10, vec([countFunction(LATIN1), countFunction(UTF16)])),
  ]);
}
