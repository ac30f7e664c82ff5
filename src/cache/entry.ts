/**
 * A stored response as S3 holds it: the body is the object (with its content
 * headers, so a presigned URL serves it as the handler answered), and the
 * rest (status, header fields, times, entity tag, `Vary` fields) is one JSON
 * document in the object's user metadata, so a `HeadObject` answers a lookup
 * without reading the body. Pure.
 *
 * @module cache/entry
 */
import { createHash } from 'node:crypto';
import type { HttpRequestInfo } from '../http/events.js';
import { asReadBy, type HttpResult } from '../http/result.js';
import type { EntryTimes, HeaderList } from './policy.js';

/** What a stored response carries besides its body. */
export interface StoredEntry extends EntryTimes {
  readonly status: number;
  readonly headers: HeaderList;
  /** The entity tag: the response's own, else a strong one of the body. */
  readonly etag: string;
  /** The lower-case names of the response's `Vary` fields, sorted. */
  readonly vary: readonly string[];
  /** The body is binary: answer it as base64 (`isBase64Encoded`). */
  readonly binary: boolean;
}

/** What a `HeadObject` of a key found. */
export type Found =
  | { readonly kind: 'entry'; readonly entry: StoredEntry }
  | { readonly kind: 'pointer'; readonly vary: readonly string[] }
  | { readonly kind: 'unreadable' };

/** The user-metadata key (without `x-amz-meta-`) of an entry's document. */
export const ENTRY_METADATA = 'lss-entry';
/** The user-metadata key of a pointer's `Vary` field names. */
export const POINTER_METADATA = 'lss-vary';

/**
 * S3 allows 2 KB of user metadata per object (Amazon S3 User Guide, "Working
 * with object metadata"); the document is kept below it, key included.
 */
export const ENTRY_METADATA_MAX_BYTES = 1900;

/**
 * Hop-by-hop fields (RFC 9110 section 7.6.1) and the ones a stored response
 * does not keep: `Age` and `Cache-Status` are made anew for each answer,
 * `Content-Length` by the front door, `Set-Cookie` is never stored.
 */
const NOT_STORED = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'age',
  'cache-status',
  'content-length',
  'set-cookie',
]);

/**
 * The header fields of a response as its front door reads them: payload 2.0
 * reads `headers` only; payload 1.0 and ALB `multiValueHeaders`, then the
 * `headers` not in it (API Gateway keeps only `multiValueHeaders` for a field in both).
 */
export function headerListOf(result: HttpResult, info: HttpRequestInfo): [string, string][] {
  const readBy = asReadBy(result, info);
  const list: [string, string][] = [];
  const inMulti = new Set<string>();
  if (readBy.multiValueHeaders !== undefined) {
    for (const [name, values] of Object.entries(readBy.multiValueHeaders)) {
      if (!Array.isArray(values)) continue;
      inMulti.add(name.toLowerCase());
      for (const value of values) if (value !== undefined && value !== null) list.push([name, String(value)]);
    }
  }
  for (const [name, value] of Object.entries(readBy.headers ?? {})) {
    if (value !== undefined && value !== null && !inMulti.has(name.toLowerCase())) list.push([name, String(value)]);
  }
  return list;
}

/** The fields to store: without hop-by-hop fields and those named by `Connection`. */
export function storedHeaders(list: HeaderList): [string, string][] {
  const connection = new Set<string>();
  for (const [name, value] of list) {
    if (name.toLowerCase() === 'connection') for (const n of value.split(',')) connection.add(n.trim().toLowerCase());
  }
  return list.filter(([name]) => !NOT_STORED.has(name.toLowerCase()) && !connection.has(name.toLowerCase())).map(([n, v]) => [n, v]);
}

/** Whether a response sets cookies (`cookies`, or `Set-Cookie` in either map). */
export function setsCookies(result: HttpResult, list: HeaderList): boolean {
  if (Array.isArray(result.cookies) && result.cookies.length > 0) return true;
  return list.some(([name]) => name.toLowerCase() === 'set-cookie');
}

/**
 * A strong entity tag of a body: the MD5 of its bytes in hex, quoted. That is
 * the `ETag` S3 itself answers for an object stored by one `PutObject` with
 * SSE-S3 or no encryption (Amazon S3 API Reference, `Object`: "The ETag is an
 * MD5 digest of the object data"), so a client that followed a `303` to the
 * stored object holds the tag the cache compares `If-None-Match` with. Not so
 * for multipart uploads (bodies of 32 MiB or more) or SSE-KMS: then only the
 * cache's own answers carry the tag.
 */
export function strongEtag(body: Buffer): string {
  return `"${createHash('md5').update(body).digest('hex')}"`;
}

/**
 * The metadata of an entry.
 *
 * @returns the user metadata, or `undefined` when the document is over {@link ENTRY_METADATA_MAX_BYTES}
 */
export function entryMetadata(entry: StoredEntry): Record<string, string> | undefined {
  const document = Buffer.from(
    JSON.stringify({
      v: 1,
      s: entry.status,
      h: entry.headers,
      t: entry.storedAt,
      a: entry.initialAge,
      l: entry.lifetime,
      e: entry.etag,
      y: entry.vary,
      b: entry.binary ? 1 : 0,
    }),
  ).toString('base64url');
  if (document.length + ENTRY_METADATA.length > ENTRY_METADATA_MAX_BYTES) return undefined;
  return { [ENTRY_METADATA]: document };
}

/** The metadata of a pointer: the `Vary` field names of the base key's variants. */
export function pointerMetadata(vary: readonly string[]): Record<string, string> {
  return { [POINTER_METADATA]: vary.join(',') };
}

/** Read what a `HeadObject` returned (the SDK gives metadata keys lower case). */
export function readFound(metadata: Record<string, string> | undefined): Found {
  const pointer = metadata?.[POINTER_METADATA];
  if (pointer !== undefined) return { kind: 'pointer', vary: pointer === '' ? [] : pointer.split(',') };
  const document = metadata?.[ENTRY_METADATA];
  if (document === undefined) return { kind: 'unreadable' };
  try {
    const d = JSON.parse(Buffer.from(document, 'base64url').toString('utf8')) as Record<string, unknown>;
    const valid =
      d.v === 1 &&
      Number.isInteger(d.s) &&
      Array.isArray(d.h) &&
      (d.h as unknown[]).every((p) => Array.isArray(p) && p.length === 2 && p.every((x) => typeof x === 'string')) &&
      [d.t, d.a, d.l].every((n) => typeof n === 'number' && Number.isFinite(n)) &&
      typeof d.e === 'string' &&
      Array.isArray(d.y) &&
      (d.y as unknown[]).every((n) => typeof n === 'string');
    if (!valid) return { kind: 'unreadable' };
    return {
      kind: 'entry',
      entry: {
        status: d.s as number,
        headers: d.h as [string, string][],
        storedAt: d.t as number,
        initialAge: d.a as number,
        lifetime: d.l as number,
        etag: d.e as string,
        vary: d.y as string[],
        binary: d.b === 1,
      },
    };
  } catch {
    return { kind: 'unreadable' };
  }
}
