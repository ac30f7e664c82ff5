/**
 * Deterministic results for the benchmark: HTTP API (payload v2) responses whose
 * serialized size is close to a target, with the kinds of bodies handlers return.
 * Every body is a flat string built the way handlers build them (`JSON.stringify`,
 * `Array.prototype.join`, `Buffer#toString('base64')`).
 */
import { Writable } from 'node:stream';
import { Console } from 'node:console';
import { Logger } from '@aws-lambda-powertools/logger';
import { payloadBytes } from '../src/sizing/payload-bytes.js';

/** The limit of a synchronous Lambda response (6 MiB + 100), as in `src/limits.ts`. */
export const LIMIT = 6_291_556;

/** An HTTP API (payload format 2.0) GET event: what `describeRequest` reads. */
export const EVENT = { version: '2.0', requestContext: { http: { method: 'GET' } } };

/** A Lambda-like context without a deadline (no timeout signal is armed). */
export const CONTEXT = {} as never;

/** The kinds of string bodies measured. */
export type BodyKind = 'json' | 'ascii' | 'latin1' | 'cjk' | 'base64' | 'emoji' | 'json-emoji' | 'control' | 'lone';

/** A short description of each kind, for the tables. */
export const KIND_LABEL: Record<BodyKind, string> = {
  json: 'JSON text (ASCII, `"` escapes)',
  ascii: 'plain ASCII, no escapes',
  latin1: 'non-ASCII, Latin-1 (é, ü: 2 bytes)',
  cjk: 'non-ASCII, CJK + emoji (3-4 bytes)',
  base64: 'base64 (`isBase64Encoded`)',
  emoji: 'ASCII words and emoji (surrogate pairs)',
  'json-emoji': 'JSON text with one emoji at its end (a two-byte string)',
  control: 'text with control characters (`\\t \\n \\r`, ESC as `\\u001b`)',
  lone: 'text with lone surrogates (`\\udXXX`, 6 bytes)',
};

/** A response of `kind` whose `payloadBytes` is at most `target` and within 128 bytes (or 0.1 %) of it. */
export function result(kind: BodyKind, target: number): { statusCode: number; headers: Record<string, string>; body: string; isBase64Encoded?: boolean } {
  const envelope = payloadBytes(wrap(kind, ''));
  const body = bodyOf(kind, target - envelope);
  const r = wrap(kind, body);
  const bytes = payloadBytes(r);
  if (bytes > target || bytes < target - Math.max(128, target * 0.001)) throw new Error(`fixture ${kind} ${target}: ${bytes} bytes`);
  return r;
}

/** A response of `kind` whose body's JSON string (quotes excluded) takes at most `bodyBytes` bytes, within 0.1 %. */
export function resultWithBody(kind: BodyKind, bodyBytes: number): ReturnType<typeof wrap> {
  return wrap(kind, bodyOf(kind, bodyBytes + 2));
}

function wrap(kind: BodyKind, body: string): { statusCode: number; headers: Record<string, string>; body: string; isBase64Encoded?: boolean } {
  if (kind === 'base64') {
    return { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body, isBase64Encoded: true };
  }
  const type = kind === 'json' ? 'application/json' : 'text/plain; charset=utf-8';
  return { statusCode: 200, headers: { 'content-type': type }, body };
}

/** A body whose JSON string (quotes excluded) takes at most `bytes` bytes, within 0.1 %. */
export function bodyOf(kind: BodyKind, bytes: number): string {
  const random = prng(kind.length * 7919 + bytes);
  if (kind === 'base64') {
    const raw = Buffer.allocUnsafe(Math.floor((bytes - 2) / 4) * 3);
    for (let i = 0; i < raw.length; i++) raw[i] = random() & 0xff;
    return raw.toString('base64');
  }
  if (kind === 'json-emoji') {
    // `]` becomes `,"😀"]`: 9 more bytes in the JSON string (the quotes escaped, the emoji 4 bytes)
    return `${bodyOf('json', bytes - 9).slice(0, -1)},"😀"]`;
  }
  if (kind === 'json') {
    const items: unknown[] = [];
    let size = 2; // [ ]
    for (let i = 0; ; i++) {
      const item = { id: i, name: `item ${i}`, price: (random() % 100000) / 100, tags: ['a', 'b'], ok: random() % 2 === 0 };
      const cost = Buffer.byteLength(JSON.stringify(JSON.stringify(item))) - 2 + 1; // escaped, plus a comma
      if (size + cost > bytes - 2) break;
      items.push(item);
      size += cost;
    }
    return JSON.stringify(items);
  }
  const words = {
    ascii: ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'consectetur', 'adipiscing', 'elit'],
    latin1: ['Grüße', 'aus', 'Köln', 'café', 'crème', 'brûlée', 'naïve', 'façade'],
    cjk: ['東京', '大阪', 'こんにちは', '世界', '😀', '🚀', 'ok', '数据'],
    emoji: ['ok', '😀', 'thanks', '🚀', 'see', 'you', '👍', 'soon'],
    control: ['id\t42', 'line\n', '\u001b[31mred\u001b[0m', 'a\r\n', 'plain', 'text', 'bell\u0007', 'ok'],
    lone: ['abc', '\ud83d', 'def', '\ude00x', 'ghi', 'jkl', 'mno', 'pqr'],
  }[kind];
  const parts: string[] = [];
  let size = 2;
  for (;;) {
    const word = `${words[random() % words.length]} `;
    const cost = Buffer.byteLength(JSON.stringify(word)) - 2; // JSON escapes counted (a lone surrogate is 6 bytes)
    if (size + cost > bytes - 2) break;
    parts.push(word);
    size += cost;
  }
  return parts.join('');
}

/** A small deterministic generator (xorshift32) of non-negative integers. */
function prng(seed: number): () => number {
  let x = seed | 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/**
 * A real Powertools logger whose output goes nowhere: the spill record is still
 * formatted as it would be in Lambda, but the benchmark's table stays readable.
 */
export function quietLogger(): Logger {
  const logger = new Logger({ serviceName: 'bench' });
  const sink = new Writable({ write: (_chunk, _encoding, callback) => callback() });
  (logger as unknown as { console: Console }).console = new Console({ stdout: sink, stderr: sink });
  return logger;
}

/**
 * A size in bytes, then in MB (10^6) or MiB (2^20), whichever is round:
 * `1,048,576 bytes (1 MiB)`, `6,200,000 bytes (6.2 MB)`.
 */
export function sizeName(bytes: number): string {
  const n = bytes.toLocaleString('en-US');
  if (bytes % 1024 === 0 && bytes >= 1024 * 1024) return `${n} bytes (${bytes / (1024 * 1024)} MiB)`;
  return `${n} bytes (${bytes < 1e6 ? `${bytes / 1e3} KB` : `${bytes / 1e6} MB`})`;
}

/** Bytes as KB or MB (10^3, 10^6), for labels. */
export function mb(bytes: number): string {
  return bytes < 1e6 ? `${Math.round(bytes / 1e3)} KB` : `${(bytes / 1e6).toFixed(1)} MB`;
}
