/**
 * Reading referenced values back: `GetObject`, the size and SHA-256 checked
 * against the reference while reading (a larger object is cut off at the
 * recorded size), then the JSON parsed. Loaded on the first reference, so a
 * function that receives none never loads the S3 client.
 *
 * @module offload/load
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { beforeDeadline } from '../lambda/deadline.js';
import { classifyS3Failure } from '../s3/failure.js';
import { getObject, isSizeMismatch, readExactly } from '../s3/read.js';
import { OffloadIntegrityError, OffloadLoadError, OffloadTimeoutError, type S3OffloadError } from './errors.js';
import type { ResolvePlan } from './plan.js';
import { type OffloadPointer, replaceAt } from './reference.js';

/** References read at once. */
const LOAD_CONCURRENCY = 8;

/** What a resolution read. */
export interface Resolved {
  /** The value with its references replaced. */
  readonly value: unknown;
  /** Objects read (one per distinct reference). */
  readonly objects: number;
  /** Bytes read. */
  readonly bytes: number;
}

/**
 * Read every allowed reference of a plan (each distinct object once, a few at
 * a time) and return the value with each replaced by its own parse of the
 * stored JSON. All or nothing: any failure rejects, and no value is returned.
 *
 * @param value - the value the plan was made from
 * @param plan - from `planResolve`, with nothing refused
 * @param client - the S3 client
 * @param signal - fires at the deadline
 */
export async function resolveReferences(
  value: unknown,
  plan: ResolvePlan,
  client: S3Client,
  signal: AbortSignal | undefined,
): Promise<Resolved> {
  const distinct = new Map<string, OffloadPointer>();
  for (const { pointer } of plan.allowed) distinct.set(identity(pointer), pointer);
  const texts = new Map<string, string>();
  const queue = [...distinct.entries()];
  let failed = false;
  const worker = async (): Promise<void> => {
    for (let next = queue.shift(); next !== undefined && !failed; next = queue.shift()) {
      try {
        texts.set(next[0], await loadText(client, next[1], signal));
      } catch (error) {
        failed = true; // the others start nothing new: the whole resolution fails anyway
        throw error;
      }
    }
  };
  await beforeDeadline(Promise.all(Array.from({ length: Math.min(LOAD_CONCURRENCY, queue.length) }, worker)), signal).catch(
    (error: unknown) => {
      if (error instanceof OffloadIntegrityError || error instanceof OffloadLoadError || error instanceof OffloadTimeoutError) {
        throw error;
      }
      throw loadFailure(error, signal);
    },
  );
  let bytes = 0;
  for (const pointer of distinct.values()) bytes += pointer.bytes;
  const replacements = plan.allowed.map(({ path, pointer }) => ({ path, value: parse(texts.get(identity(pointer))!) }));
  return { value: replaceAt(value, replacements), objects: distinct.size, bytes };
}

function identity(pointer: OffloadPointer): string {
  return JSON.stringify([pointer.bucket, pointer.key, pointer.bytes, pointer.sha256]);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The stored JSON text of one reference, checked: no more and no fewer bytes
 * than recorded, the recorded SHA-256, valid UTF-8.
 */
async function loadText(client: S3Client, pointer: OffloadPointer, signal: AbortSignal | undefined): Promise<string> {
  let bytes;
  try {
    bytes = await readExactly(await getObject(client, { Bucket: pointer.bucket, Key: pointer.key }, signal), pointer.bytes);
  } catch (error) {
    throw loadFailure(error, signal);
  }
  if (isSizeMismatch(bytes)) throw mismatch(bytes.problem);
  const sha256 = process.getBuiltinModule('node:crypto').createHash('sha256').update(bytes).digest('hex');
  if (sha256 !== pointer.sha256) throw mismatch('the object does not have the SHA-256 the reference says');
  try {
    return UTF8.decode(bytes);
  } catch {
    throw mismatch('the object is not UTF-8');
  }
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw mismatch('the object is not JSON');
  }
}

function mismatch(detail: string): OffloadIntegrityError {
  return new OffloadIntegrityError('An offloaded value does not match its reference', { cause: new Error(detail) });
}

function loadFailure(error: unknown, signal: AbortSignal | undefined): S3OffloadError {
  const { kind } = classifyS3Failure(error, signal);
  if (kind === 'timeout') {
    return new OffloadTimeoutError('An offloaded value could not be read before the deadline', { cause: error, phase: 'load' });
  }
  const notFound = kind === 'not-found';
  return new OffloadLoadError(notFound ? 'An offloaded value is not there (expired or deleted)' : 'An offloaded value could not be read', {
    cause: error,
    notFound,
  });
}
