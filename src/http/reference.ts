/**
 * Reference mode, for clients that cannot follow a redirect: a request whose
 * `Accept` names {@link REFERENCE_MEDIA_TYPE} gets `200` with a small JSON
 * document (`{ url, expiresAt, bytes, contentType }`) instead of the `303`.
 *
 * @module http/reference
 */
import { requestHeader } from './events.js';

/** The media type a client puts in `Accept` to get a reference instead of a `303`. */
export const REFERENCE_MEDIA_TYPE = 'application/vnd.lambda-s3-spill.reference+json';

/** The document a reference-mode response carries. */
export interface SpillReference {
  /** Presigned GET URL of the object (a credential until it expires: do not log it). */
  readonly url: string;
  /** When the URL stops working at the latest, ISO 8601 UTC. */
  readonly expiresAt: string;
  /** Size of the object, in bytes. */
  readonly bytes: number;
  /** `Content-Type` of the object, when known. */
  readonly contentType?: string;
  /** `Content-Encoding` of the object, when it has one. */
  readonly contentEncoding?: string;
}

/**
 * Whether the request's `Accept` names the reference media type with a non-zero
 * q-value. A wildcard (`*\/*`) does not count: the client must ask for it.
 *
 * @param event - the Lambda event
 */
export function wantsReference(event: unknown): boolean {
  const accept = requestHeader(event, 'accept');
  if (accept === undefined) return false;
  return accept.split(',').some((range) => {
    const [type, ...params] = range.split(';').map((part) => part.trim().toLowerCase());
    if (type !== REFERENCE_MEDIA_TYPE) return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}
