import fc from 'fast-check';
import { KERNEL_BYTES, KERNEL_WASM, escapeKernel } from '../../src/sizing/escape-kernel.js';
import { kernelModule } from '../../src/sizing/escape-kernel-source.js';

/** What JSON adds to one byte per code unit, for one code unit alone (surrogates apart). */
function extraOf(unit: number): number {
  if (unit < 0x20) return [0x08, 0x09, 0x0a, 0x0c, 0x0d].includes(unit) ? 1 : 5;
  if (unit === 0x22 || unit === 0x5c) return 1;
  if (unit < 0x80) return 0;
  return unit < 0x800 ? 1 : 2;
}

/** The reference: JSON.stringify's UTF-8 bytes, less the quotes and one byte per unit. */
const extraOfString = (s: string): number => Buffer.byteLength(JSON.stringify(s)) - 2 - s.length;

describe('escapeKernel', () => {
  it('ships the bytes its emitter makes (if not, paste the value printed here into KERNEL_WASM)', () => {
    const emitted = Buffer.from(kernelModule()).toString('base64');
    if (emitted !== KERNEL_WASM) process.stderr.write(`KERNEL_WASM should be:\n${emitted}\n`);
    expect(emitted).toBe(KERNEL_WASM);
    expect(WebAssembly.validate(kernelModule())).toBe(true);
  });

  it('latin1: sums the extra bytes of any bytes, at any length up to the chunk, padding included', () => {
    const kernel = escapeKernel();
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 3_000 }), (bytes) => {
        // Stale bytes after them (here the heaviest, NUL) must not count: the padding covers them.
        kernel.buffer.fill(0x00);
        kernel.buffer.set(bytes, 0);
        let expected = 0;
        for (const b of bytes) expected += extraOf(b);
        expect(kernel.latin1Extra(bytes.length)).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('latin1: a whole chunk of the heaviest byte does not overflow its sums', () => {
    const kernel = escapeKernel();
    kernel.buffer.fill(0x01);
    expect(kernel.latin1Extra(KERNEL_BYTES)).toBe(5 * KERNEL_BYTES);
    kernel.buffer.fill(0xff);
    expect(kernel.latin1Extra(KERNEL_BYTES)).toBe(KERNEL_BYTES);
  });

  it('utf16: equals JSON.stringify for any code units split into two chunks anywhere, pairs across the cut included', () => {
    const kernel = escapeKernel();
    const unit = fc.oneof(
      fc.integer({ min: 0, max: 0xffff }),
      fc.constantFrom(0xd800, 0xdbff, 0xdc00, 0xdfff, 0xd83d, 0xde00, 0x00, 0x0a, 0x22, 0x5c, 0xff, 0x100, 0x7ff, 0x800),
    );
    fc.assert(
      fc.property(fc.array(unit, { minLength: 1, maxLength: 2_000 }), fc.double({ min: 0, max: 1, noNaN: true }), (codes, where) => {
        const s = String.fromCharCode(...codes);
        const cut = Math.floor(where * codes.length);
        let got = 0;
        let afterHigh = false;
        for (const part of [s.slice(0, cut), s.slice(cut)]) {
          kernel.buffer.fill(0xd8); // stale high surrogates after the part must not count
          kernel.buffer.write(part, 0, part.length * 2, 'utf16le');
          got += kernel.utf16Extra(part.length, afterHigh);
          afterHigh = part.length > 0 ? (part.charCodeAt(part.length - 1) & 0xfc00) === 0xd800 : afterHigh;
        }
        expect(got).toBe(extraOfString(s));
      }),
      { numRuns: 500 },
    );
  });

  it('utf16: a whole chunk of lone surrogates, and of pairs, does not overflow its sums', () => {
    const kernel = escapeKernel();
    const units = KERNEL_BYTES / 2;
    const lone = '\ud800'.repeat(units);
    kernel.buffer.write(lone, 0, units * 2, 'utf16le');
    expect(kernel.utf16Extra(units, false)).toBe(extraOfString(lone));
    const pairs = '😀'.repeat(units / 2);
    kernel.buffer.write(pairs, 0, units * 2, 'utf16le');
    expect(kernel.utf16Extra(units, false)).toBe(extraOfString(pairs));
  });
});
