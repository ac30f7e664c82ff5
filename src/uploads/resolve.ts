/**
 * `resolveUploads()`: the references of a request checked and turned into
 * upload objects (file fields) or into the body itself (`X-S3-Upload`). The
 * checks are pure (`reference.ts`, `key.ts`, `checks.ts`); this file does the
 * `HeadObject` of each reference (before anything is read) and, for the
 * whole-body mode, the read.
 *
 * @module uploads/resolve
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { clientOrDefault } from '../s3/client.js';
import { deadlineSignal, millisUntilDeadline } from '../lambda/deadline.js';
import { describeRequest, frontDoorOf } from '../http/events.js';
import { headerKey, readHeader } from '../http/headers.js';
import { eventBodyOf } from './body-encoding.js';
import { storedUploadProblem } from './checks.js';
import { InvalidUploadError } from './errors.js';
import { uploadKeyProblem } from './key.js';
import { resolveS3UploadsOptions, type ResolvedS3Uploads, type ResolveUploadsOptions } from './options.js';
import { looksLikeUploadReference, parseUploadReference, UPLOAD_REFERENCE_MARKER } from './reference.js';
import { uploadFailure } from './storage-failure.js';
import { type CheckedUpload, readAll, S3Upload } from './upload-object.js';

/** The request header of the whole-body mode. */
export const UPLOAD_HEADER = 'X-S3-Upload';

/** Most references one request may carry (each costs a `HeadObject`). */
export const MAX_REFERENCES_PER_REQUEST = 32;

/** What a resolution found. */
export interface Resolution<E> {
  readonly event: E;
  /** Every upload of the request (the whole-body one included). */
  readonly uploads: readonly S3Upload[];
}

/**
 * Resolve the upload references of an HTTP event, as `s3Uploads` does in `before`:
 * - `X-S3-Upload: <reference>` with an empty body: the body becomes the object's
 *   content as the front door would have delivered it (a string for a text
 *   content type, otherwise base64 with `isBase64Encoded: true`), `Content-Type`
 *   and `Content-Length` become the object's, and the `X-S3-Upload` header is
 *   removed (it is a secret; a handler that logs its event must not log it);
 * - references as values of the JSON body's top-level fields, or items of a
 *   top-level array field (no deeper): each becomes an {@link S3Upload}. A body
 *   that is a JSON string (no body parser ran) is parsed, and the event's body
 *   becomes the parsed object when it held a reference.
 *
 * Every reference is checked before anything is read: its bucket and prefix are
 * the configured ones, its key is one `createUpload` makes and S3 would see as
 * it is (`uploads/../x` is refused), the object exists (`HeadObject`), carries
 * the reference's token, was written before its form expired (plus
 * `expiryGraceSeconds`), is at most `maxBytes` and of an accepted content type.
 * The event given is not changed; a non-HTTP event is returned as it is.
 *
 * @param event - a Lambda HTTP event (its body a parsed object or a JSON string)
 * @param options - see {@link ResolveUploadsOptions}; `maxBytes` is required
 * @param context - the Lambda context, for the deadline (`timeoutEarlyInMillis` before it)
 * @returns the event with its references resolved
 * @throws InvalidUploadError (400) for a reference refused; nothing was read
 * @throws UploadStorageError (502; 503 on throttling or the deadline) when S3 failed
 * @example
 * ```ts
 * import { resolveUploads } from 'lambda-s3-spill/uploads';
 * import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
 * export const handler = async (event: APIGatewayProxyEventV2, context: Context) => {
 *   const resolved = await resolveUploads(event, { bucket: 'my-spill-bucket', maxBytes: 50 * 1024 * 1024 }, context);
 *   return { statusCode: 200, body: String(resolved.body?.length ?? 0) };
 * };
 * ```
 */
export async function resolveUploads<E>(event: E, options: ResolveUploadsOptions, context?: Context): Promise<E> {
  return (await resolveEvent(event, resolveS3UploadsOptions(options), context)).event;
}

/** {@link resolveUploads} with resolved options, telling which uploads it found. */
export async function resolveEvent<E>(event: E, options: ResolvedS3Uploads, context?: Context): Promise<Resolution<E>> {
  if (frontDoorOf(event) === 'unknown') return { event, uploads: [] };
  // The SDK loads on first use: importing the library (and every response that fits) never loads it.
  // The client (and with it the SDK) only once a reference is found: a request without one loads nothing.
  let made: Promise<S3Client> | undefined;
  const client = (): Promise<S3Client> => (made ??= clientOrDefault(options.s3Client));
  // The same deadline as a spill's: the function's, or the gateway's integration timeout when it comes first.
  const deadline = deadlineSignal(
    millisUntilDeadline({
      context,
      info: describeRequest(event),
      integrationTimeoutInMillis: undefined,
      timeoutEarlyInMillis: options.timeoutEarlyInMillis,
      now: Date.now(),
    }),
  );
  const lookup: Lookup = { options, client, signal: deadline?.signal };
  try {
    const header = readHeader(event, UPLOAD_HEADER.toLowerCase());
    if (header !== undefined && options.accept !== 'field') return await resolveWholeBody(event, header, lookup);
    if (options.accept === 'whole-body') return { event, uploads: [] };
    return await resolveFields(event, lookup);
  } finally {
    deadline?.clear();
  }
}

function invalidReference(detail: string, field: string | undefined): InvalidUploadError {
  return new InvalidUploadError('The upload reference is not valid', { field, cause: new Error(detail) });
}

/** What every reference of one request is checked with. */
interface Lookup {
  readonly options: ResolvedS3Uploads;
  /** The S3 client, made on first use. */
  readonly client: () => Promise<S3Client>;
  /** Aborted at the deadline. */
  readonly signal: AbortSignal | undefined;
}

/** Check one reference: pure checks, then `HeadObject`, then the object's checks. */
async function checkReference(text: string, field: string | undefined, { options, client, signal }: Lookup): Promise<CheckedUpload> {
  const parts = parseUploadReference(text);
  if ('problem' in parts) throw invalidReference(parts.problem, field);
  if (parts.bucket !== options.bucket) throw invalidReference('reference names another bucket', field);
  const keyProblem = uploadKeyProblem(parts.key, options.keyPrefix);
  if (keyProblem !== undefined) throw invalidReference(keyProblem, field);
  let head;
  let s3: S3Client;
  try {
    const [{ HeadObjectCommand }, made] = await Promise.all([import('@aws-sdk/client-s3'), client()]);
    s3 = made;
    head = await s3.send(new HeadObjectCommand({ Bucket: options.bucket, Key: parts.key }), { abortSignal: signal });
  } catch (error) {
    throw uploadFailure(error, field);
  }
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(head.Metadata ?? {})) metadata[name.toLowerCase()] = value;
  const problem = storedUploadProblem(
    {
      size: head.ContentLength ?? Number.NaN,
      contentType: head.ContentType,
      etag: head.ETag,
      lastModified: head.LastModified,
      metadata,
    },
    {
      token: parts.token,
      maxBytes: options.maxBytes,
      contentTypes: options.contentTypes,
      expiryGraceSeconds: options.expiryGraceSeconds,
    },
  );
  if (problem !== undefined) {
    throw new InvalidUploadError(problem.message, { field, cause: new Error(`${problem.detail} (key ${parts.key})`) });
  }
  return {
    client: s3,
    bucket: options.bucket,
    key: parts.key,
    keyPrefix: options.keyPrefix,
    size: head.ContentLength!,
    type: head.ContentType ?? '',
    etag: head.ETag,
    field,
    contentType: head.ContentType,
    contentEncoding: head.ContentEncoding,
    contentDisposition: head.ContentDisposition,
    contentLanguage: head.ContentLanguage,
    cacheControl: head.CacheControl,
    metadata,
  };
}

type AnyEvent = Record<string, unknown> & { headers?: unknown; multiValueHeaders?: unknown; body?: unknown };

async function resolveWholeBody<E>(event: E, reference: string, lookup: Lookup): Promise<Resolution<E>> {
  const e = event as unknown as AnyEvent;
  if (e.body !== undefined && e.body !== null && e.body !== '') {
    throw new InvalidUploadError(`A request with ${UPLOAD_HEADER} must have an empty body`);
  }
  const upload = await checkReference(reference.trim(), undefined, lookup);
  const bytes = await readAll(upload, lookup.signal);
  const { body, isBase64Encoded } = eventBodyOf(bytes, upload.type || undefined);
  const replace: Record<string, string | undefined> = {
    'content-type': upload.type || undefined,
    'content-length': String(upload.size),
  };
  const out: AnyEvent = { ...e, body, isBase64Encoded };
  if (typeof e.headers === 'object' && e.headers !== null) out.headers = withRequestHeaders(e.headers, replace, false);
  else if (e.multiValueHeaders === undefined) out.headers = withRequestHeaders({}, replace, false);
  if (typeof e.multiValueHeaders === 'object' && e.multiValueHeaders !== null) {
    out.multiValueHeaders = withRequestHeaders(e.multiValueHeaders, replace, true);
  }
  return { event: out as unknown as E, uploads: [new S3Upload(upload)] };
}

/** A header map without `X-S3-Upload`, with `replace` set (in the map's casing, lower case when new). */
function withRequestHeaders(map: object, replace: Record<string, string | undefined>, multi: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const lowerCase = Object.keys(map).every((k) => k === k.toLowerCase());
  for (const [name, value] of Object.entries(map)) {
    const lower = name.toLowerCase();
    if (lower === UPLOAD_HEADER.toLowerCase() || lower in replace) continue;
    out[name] = value;
  }
  for (const [lower, value] of Object.entries(replace)) {
    if (value === undefined) continue;
    const existing = headerKey(map, lower);
    const name = existing ?? (lowerCase ? lower : lower.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase()));
    out[name] = multi ? [value] : value;
  }
  return out;
}

async function resolveFields<E>(event: E, lookup: Lookup): Promise<Resolution<E>> {
  const e = event as unknown as AnyEvent;
  let body: unknown = e.body;
  let parsedHere = false;
  if (typeof body === 'string') {
    const text = e.isBase64Encoded === true ? Buffer.from(body, 'base64').toString('utf8') : body;
    if (!text.includes(UPLOAD_REFERENCE_MARKER)) return { event, uploads: [] };
    try {
      body = JSON.parse(text);
    } catch {
      return { event, uploads: [] };
    }
    parsedHere = true;
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return { event, uploads: [] };
  const jobs: { field: string; index: number | undefined; text: string }[] = [];
  for (const [field, value] of Object.entries(body)) {
    if (looksLikeUploadReference(value)) jobs.push({ field, index: undefined, text: value });
    else if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (looksLikeUploadReference(item)) jobs.push({ field, index, text: item });
      });
    }
  }
  if (jobs.length === 0) return { event, uploads: [] };
  if (jobs.length > MAX_REFERENCES_PER_REQUEST) {
    throw new InvalidUploadError(`A request may carry at most ${MAX_REFERENCES_PER_REQUEST} uploads`);
  }
  const uploads = (await Promise.all(jobs.map((job) => checkReference(job.text, job.field, lookup)))).map(
    (checked) => new S3Upload(checked),
  );
  const original = body as Record<string, unknown>;
  const out: Record<string, unknown> = { ...original };
  // defineProperty, not assignment: a field named "__proto__" must stay a field.
  const set = (field: string, value: unknown): void => {
    Object.defineProperty(out, field, { value, enumerable: true, writable: true, configurable: true });
  };
  const copied = new Set<string>();
  jobs.forEach((job, i) => {
    if (job.index === undefined) return set(job.field, uploads[i]);
    if (!copied.has(job.field)) {
      set(job.field, [...(original[job.field] as unknown[])]);
      copied.add(job.field);
    }
    (out[job.field] as unknown[])[job.index] = uploads[i];
  });
  const resolved: AnyEvent = { ...e, body: out };
  if (parsedHere) resolved.isBase64Encoded = false;
  return { event: resolved as unknown as E, uploads };
}
