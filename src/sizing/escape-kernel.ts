/**
 * A WebAssembly SIMD kernel that counts, over a chunk of a string copied into
 * its memory, the bytes JSON adds to one byte per code unit: 1 for `"`, `\` and
 * `\b \t \n \f \r`, 5 for the other U+0000-U+001F (`\u00XX`), and the extra
 * UTF-8 bytes of non-ASCII characters (a lone surrogate is `\udXXX`, 6 bytes).
 *
 * Two forms: `latin1` reads one byte per code unit (a string with no code unit
 * above U+00FF, copied with `latin1Write`: for a one-byte V8 string, a memcpy),
 * `utf16` reads two (any string, copied with `ucs2Write`).
 *
 * The module's binary is written by a small emitter in TypeScript
 * (`escape-kernel-source.ts`, the instructions by name), so no toolchain is
 * needed; its 1.9 KB are kept here as base64 and compiled synchronously on
 * first use (the emitter stays out of the runtime code and of bundles).
 * WebAssembly fixed-width SIMD (`v128`) is in every Node.js this package
 * supports (V8 9.1, Node 16.4+). Encoding: WebAssembly core specification 2.0,
 * chapter 5 "Binary format" (SIMD instructions: prefix 0xFD, section 5.4.8).
 *
 * @module sizing/escape-kernel
 */

/** Bytes of kernel memory a chunk may take (the caller writes it at offset 0). */
export const KERNEL_BYTES = 256 * 1024;
/**
 * The kernel reads whole groups of this many bytes: it pads a chunk itself, up to
 * a multiple, with spaces (which JSON does not escape), so it has no scalar tail.
 */
export const KERNEL_STEP = 64;

/** The compiled kernel: its memory and the two counts. */
export interface EscapeKernel {
  /** The kernel's memory (`KERNEL_BYTES` usable), as a Buffer for `latin1Write` and `ucs2Write`. */
  readonly buffer: Buffer;
  /** Extra JSON bytes of `units` Latin-1 code units at offset 0 (1 byte each). */
  latin1Extra(units: number): number;
  /**
   * Extra JSON bytes of `units` UTF-16 code units at offset 0 (2 bytes each).
   * `afterHigh`: the unit just before this chunk was a high surrogate (so a low
   * one first here completes its pair). The caller reads whether the chunk ends
   * with one from the buffer.
   */
  utf16Extra(units: number, afterHigh: boolean): number;
}

let kernel: EscapeKernel | undefined;

/**
 * The module's bytes, as `kernelModule()` in `escape-kernel-source.ts` emits
 * them (base64), kept here so that the first use only decodes and compiles them
 * (the emitter, run cold, takes about 2 ms). `tests/sizing/escape-kernel.test.ts`
 * checks that they are the emitter's output, and prints the new value when the
 * emitter changes.
 */
export const KERNEL_WASM =
  'AGFzbQEAAAABBwFgAn9/AX8DAwIAAAUDAQAFBxsDBm1lbW9yeQIABmxhdGluMQAABXV0ZjE2AAEKiA4CpwcCAn8IewJAA0AgAiAA' +
  'Tw0BIAJBgAZqIgMgACADIABJGyED/QwAAAAAAAAAAAAAAAAAAAAAIQT9DAAAAAAAAAAAAAAAAAAAAAAhBgNAIAL9AAQAIgj9DCAg' +
  'ICAgICAgICAgICAgICD9JSIJIAj9DCIiIiIiIiIiIiIiIiIiIiL9IyIK/VAgCP0MXFxcXFxcXFxcXFxcXFxcXP0jIgv9UP1TBEAg' +
  'BCAJ/QwFBQUFBQUFBQUFBQUFBQUF/U4gCP0MAAAAAAAAAAAAAAAAAAAAAP0l/QwEBAQEBAQEBAQEBAQEBAQE/U79cf0MAAAAAAAA' +
  'AAAEBAQABAQAACAI/Q79cSAK/XEgC/1x/W4hBAsgAv0ABBAiCP0MICAgICAgICAgICAgICAgIP0lIgkgCP0MIiIiIiIiIiIiIiIi' +
  'IiIiIv0jIgr9UCAI/QxcXFxcXFxcXFxcXFxcXFxc/SMiC/1Q/VMEQCAEIAn9DAUFBQUFBQUFBQUFBQUFBQX9TiAI/QwAAAAAAAAA' +
  'AAAAAAAAAAAA/SX9DAQEBAQEBAQEBAQEBAQEBAT9Tv1x/QwAAAAAAAAAAAQEBAAEBAAAIAj9Dv1xIAr9cSAL/XH9biEECyAC/QAE' +
  'ICII/QwgICAgICAgICAgICAgICAg/SUiCSAI/QwiIiIiIiIiIiIiIiIiIiIi/SMiCv1QIAj9DFxcXFxcXFxcXFxcXFxcXFz9IyIL' +
  '/VD9UwRAIAQgCf0MBQUFBQUFBQUFBQUFBQUFBf1OIAj9DAAAAAAAAAAAAAAAAAAAAAD9Jf0MBAQEBAQEBAQEBAQEBAQEBP1O/XH9' +
  'DAAAAAAAAAAABAQEAAQEAAAgCP0O/XEgCv1xIAv9cf1uIQQLIAL9AAQwIgj9DCAgICAgICAgICAgICAgICD9JSIJIAj9DCIiIiIi' +
  'IiIiIiIiIiIiIiL9IyIK/VAgCP0MXFxcXFxcXFxcXFxcXFxcXP0jIgv9UP1TBEAgBCAJ/QwFBQUFBQUFBQUFBQUFBQUF/U4gCP0M' +
  'AAAAAAAAAAAAAAAAAAAAAP0l/QwEBAQEBAQEBAQEBAQEBAQE/U79cf0MAAAAAAAAAAAEBAQABAQAACAI/Q79cSAK/XEgC/1x/W4h' +
  'BAsgAkHAAGoiAiADSQ0ACyAFIAT9ff1//a4BIQUgByAG/X39f/2uASEHDAALCyAF/RsAIAX9GwFqIAX9GwJqIAX9GwNqIAf9GwAg' +
  'B/0bAWogB/0bAmogB/0bA2pBA3RrC9wGAgJ/Cnv9DAAAAAAAAAAAAAAAAAAAAP/9DAAAAAAAAAAAAAAAAAAAAAAgARshDQJAA0Ag' +
  'AiAATw0BIAJBgAxqIgMgACADIABJGyED/QwAAAAAAAAAAAAAAAAAAAAAIQT9DAAAAAAAAAAAAAAAAAAAAAAhBgNAIAL9AAQAIQgg' +
  'Av0ABBAhCSAI/Qz/AP8A/wD/AP8A/wD/AP8A/ZcBIAn9DP8A/wD/AP8A/wD/AP8A/wD9lwH9ZiEKIAhBCv2NASAJQQr9jQH9ZiEL' +
  'IAT9DAUFAAAAAAAAAQEBAQEBAQEgCkEE/W39Dv0MAAAAAAAAAAAEBAQABAQAACAK/Q79cSAK/QwiIiIiIiIiIiIiIiIiIiIi/SP9' +
  'cSAK/QxcXFxcXFxcXFxcXFxcXFxc/SP9cSAL/QwCAgICAgICAgICAgICAgIC/XdBAf1t/W4gC/0MNjY2NjY2NjY2NjY2NjY2Nv0j' +
  'IgwgC/0MNzc3Nzc3Nzc3Nzc3Nzc3N/0jIgv9UP0MAwMDAwMDAwMDAwMDAwMDA/1O/W79biEEIAYgCyANIAz9DQ8QERITFBUWFxgZ' +
  'GhscHR79Tv1xIQYgDCENIAL9AAQgIQggAv0ABDAhCSAI/Qz/AP8A/wD/AP8A/wD/AP8A/ZcBIAn9DP8A/wD/AP8A/wD/AP8A/wD9' +
  'lwH9ZiEKIAhBCv2NASAJQQr9jQH9ZiELIAT9DAUFAAAAAAAAAQEBAQEBAQEgCkEE/W39Dv0MAAAAAAAAAAAEBAQABAQAACAK/Q79' +
  'cSAK/QwiIiIiIiIiIiIiIiIiIiIi/SP9cSAK/QxcXFxcXFxcXFxcXFxcXFxc/SP9cSAL/QwCAgICAgICAgICAgICAgIC/XdBAf1t' +
  '/W4gC/0MNjY2NjY2NjY2NjY2NjY2Nv0jIgwgC/0MNzc3Nzc3Nzc3Nzc3Nzc3N/0jIgv9UP0MAwMDAwMDAwMDAwMDAwMDA/1O/W79' +
  'biEEIAYgCyANIAz9DQ8QERITFBUWFxgZGhscHR79Tv1xIQYgDCENIAJBwABqIgIgA0kNAAsgBSAE/X39f/2uASEFIAcgBv19/X/9' +
  'rgEhBwwACwsgBf0bACAF/RsBaiAF/RsCaiAF/RsDaiAH/RsAIAf9GwFqIAf9GwJqIAf9GwNqQQN0aws=';

/** The kernel, compiled on first use. */
export function escapeKernel(): EscapeKernel {
  if (kernel === undefined) {
    const instance = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(KERNEL_WASM, 'base64')), {});
    const exports = instance.exports as {
      memory: WebAssembly.Memory;
      latin1: (paddedBytes: number) => number;
      utf16: (paddedBytes: number, afterHigh: number) => number;
    };
    const memory = exports.memory.buffer;
    const bytes = new Uint8Array(memory);
    const units16 = new Uint16Array(memory);
    const { latin1, utf16 } = exports;
    kernel = {
      buffer: Buffer.from(memory, 0, KERNEL_BYTES),
      latin1Extra(units) {
        const padded = (units + KERNEL_STEP - 1) & -KERNEL_STEP;
        bytes.fill(0x20, units, padded);
        return latin1(padded);
      },
      utf16Extra(units, afterHigh) {
        const padded = (units * 2 + KERNEL_STEP - 1) & -KERNEL_STEP;
        units16.fill(0x20, units, padded >>> 1);
        return utf16(padded, afterHigh ? 1 : 0);
      },
    };
  }
  return kernel;
}
