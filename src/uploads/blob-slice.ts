/**
 * `Blob.slice` arithmetic (W3C File API, "The slice() method"), pure: which
 * bytes of a blob a slice covers, and its `type`. `S3Upload.slice` reads those
 * bytes with a ranged `GetObject`.
 *
 * @module uploads/blob-slice
 */

/** The bytes a slice covers: `start` (inclusive) and `size`, relative to the sliced blob. */
export interface SliceBounds {
  readonly start: number;
  readonly size: number;
}

/**
 * An offset as Web IDL's `[Clamp] long long` makes it: `NaN` is 0, other
 * values are rounded to the nearest integer (ties to even) and held within
 * the safe integers, as `Blob.slice` receives its arguments.
 */
function clampedOffset(value: number): number {
  const n = Number(value);
  if (Number.isNaN(n)) return 0;
  const x = Math.min(Math.max(n, Number.MIN_SAFE_INTEGER), Number.MAX_SAFE_INTEGER);
  const floor = Math.floor(x);
  const diff = x - floor;
  const rounded = diff < 0.5 ? floor : diff > 0.5 ? floor + 1 : floor % 2 === 0 ? floor : floor + 1;
  return rounded === 0 ? 0 : rounded;
}

/** A relative offset: from the end when negative, held within `0..size`. */
function relative(offset: number, size: number): number {
  return offset < 0 ? Math.max(size + offset, 0) : Math.min(offset, size);
}

/**
 * The bytes `blob.slice(start, end)` covers, for a blob of `size` bytes:
 * negative offsets count from the end, both are held within the blob, and an
 * `end` before `start` gives an empty slice.
 *
 * @param size - the sliced blob's size, in bytes
 * @param start - the first byte (default 0)
 * @param end - the byte after the last (default `size`)
 */
export function sliceBounds(size: number, start?: number, end?: number): SliceBounds {
  const from = start === undefined ? 0 : relative(clampedOffset(start), size);
  const to = end === undefined ? size : relative(clampedOffset(end), size);
  return { start: from, size: Math.max(to - from, 0) };
}

/**
 * The `type` of a slice: `''` when not given or when it has a character
 * outside U+0020 to U+007E, otherwise the value in lower case.
 *
 * @param contentType - the `contentType` argument of `slice`
 */
export function sliceType(contentType?: string): string {
  if (contentType === undefined) return '';
  const text = String(contentType);
  return /^[\u0020-\u007e]*$/.test(text) ? text.toLowerCase() : '';
}
