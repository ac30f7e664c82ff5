/**
 * The decision for a result whose body is a stream (or bytes), made before a
 * byte is read: how much may be held while it can still be answered inline,
 * whether it is compressed as it is read, and what happens when it cannot fit.
 * No I/O: the stream executor carries it out.
 *
 * @module spill/stream-plan
 */
import { chooseCoding } from '../compression/choose-coding.js';
import type { ContentCoding } from '../compression/encodings.js';
import type { S3SpillError } from '../errors/base.js';
import { invalidResponse, ResponseTooLargeError } from './errors.js';
import { DEFAULT_CONTENT_TYPE, seeOther } from '../http/answers.js';
import { contentHeadersOf, headersProblem } from '../http/body.js';
import { asReadBy, type HttpResult, isSpillableStatus } from '../http/result.js';
import { payloadBytes } from '../sizing/payload-bytes.js';
import { eventBodyOf } from '../uploads/body-encoding.js';
import { inlineDecoded, LOCATION_RESERVE_BYTES, type PlanRequest, type PlanSettings, type PlanSwitches, type SpillStep } from './plan.js';

/** Everything a stream plan is made from. */
export interface StreamPlanInput {
  /** The result; its `body` is the stream. */
  readonly result: HttpResult;
  readonly request: PlanRequest;
  readonly switches: PlanSwitches;
  readonly settings: PlanSettings;
  /** The threshold: the smaller of `maxBytes` and the front door's limit. */
  readonly maxBytes: number;
  /** The front door's own limit, which an answer must fit. */
  readonly platformMaxBytes: number;
  /** With `settings.streaming`: the bytes held before the prelude (`streamSpillBytes`). */
  readonly streamSpillBytes?: number;
}

/** What to do with a stream body. */
export type StreamPlan =
  /** HEAD: answer without the body; the stream is let go unread. */
  | { readonly kind: 'drop-body'; readonly readBy: HttpResult }
  /** Refuse it before reading (headers the services would not take); the stream is let go. */
  | { readonly kind: 'reject'; readonly error: S3SpillError }
  /** Read it. */
  | {
      readonly kind: 'read';
      /** The result as its front door reads it (its body still the stream). */
      readonly readBy: HttpResult;
      /**
       * Bytes held while the body may still be answered inline uncompressed:
       * the room the envelope leaves, as text for a textual media type, as the
       * bytes whose base64 fits otherwise; `-1` when never inline (`alwaysSpill`).
       */
      readonly holdBytes: number;
      /** The function streams its response: what is answered is a stream of the bytes, never text or base64. */
      readonly streamed: boolean;
      /** The body's `Content-Type` (the front door's default when it has none): text or base64 when answered inline. */
      readonly contentType: string | undefined;
      /** Compress as it is read and answer inline when that fits (the client accepts `coding`, the front door decodes it). */
      readonly inlineCoding: ContentCoding | undefined;
      /** Compress what goes to S3 with this coding. */
      readonly storeCoding: ContentCoding | undefined;
      /**
       * When it cannot be answered inline: spill it, refuse it
       * (`ResponseTooLargeError`) for this reason, or (streaming) stream it on.
       */
      readonly overflow:
        | { readonly kind: 'spill'; readonly spill: SpillStep }
        | { readonly kind: 'reject'; readonly reason: string }
        | { readonly kind: 'stream' };
    };

/**
 * The plan for a stream body. HEAD: drop it. Header maps the services would
 * not take: refuse. Else read: a non-2xx (or 204, 205, 206) result, or spilling
 * off, is refused once it cannot fit; a 2xx is spilled (as one object, through
 * a multipart upload), compressed when the client accepts a coding. Reuse does
 * not apply: the key of a reused object is a hash of bytes not yet read.
 *
 * A streaming function (`settings.streaming`, with `streamSpillBytes`): hold
 * that many bytes; a body that ends within them is streamed; a longer 2xx is
 * spilled; anything else is streamed on.
 */
export function planStreamResponse(input: StreamPlanInput): StreamPlan {
  const { result, request, switches, settings, maxBytes } = input;
  const readBy = asReadBy(result, request);
  if (request.method === 'HEAD') return { kind: 'drop-body', readBy };
  const problem = headersProblem({ ...readBy, body: undefined });
  if (problem !== undefined) return { kind: 'reject', error: invalidResponse(problem) };
  const headers = contentHeadersOf(readBy, request.frontDoor === 'alb' ? undefined : DEFAULT_CONTENT_TYPE);
  const coding = switches.compress ? chooseCoding(headers, request.acceptEncoding, settings).coding : undefined;
  const spillable = isSpillableStatus(result.statusCode);
  const always = switches.always && switches.spill && spillable;
  const inlineCoding = !always && coding !== undefined && inlineDecoded(request, settings) ? coding : undefined;
  const streamed = settings.streaming;
  const holdBytes = always ? -1 : streamed ? (input.streamSpillBytes ?? 0) : inlineRoom(readBy, maxBytes, headers.contentType);
  const overflow = overflowOf(input, readBy, headers, spillable, inlineCoding);
  if (overflow instanceof Error) return { kind: 'reject', error: overflow };
  // A streamed response over streamSpillBytes that is not spilled is streamed on, as it would have been.
  const onward = streamed && overflow.kind === 'reject' ? ({ kind: 'stream' } as const) : overflow;
  return { kind: 'read', readBy, holdBytes, streamed, contentType: headers.contentType, inlineCoding, storeCoding: coding, overflow: onward };
}

type Overflow = Extract<StreamPlan, { kind: 'read' }>['overflow'];

function overflowOf(
  input: StreamPlanInput,
  readBy: HttpResult,
  headers: ReturnType<typeof contentHeadersOf>,
  spillable: boolean,
  inlineCoding: ContentCoding | undefined,
): Overflow | S3SpillError {
  const { request, switches, settings } = input;
  if (!spillable) return { kind: 'reject', reason: `A ${readBy.statusCode} response is not spilled` };
  if (!switches.spill) {
    return {
      kind: 'reject',
      reason: inlineCoding === undefined ? 'Spilling and compression are off for this response' : 'Spilling is off for this response',
    };
  }
  const headersOnly = payloadBytes(seeOther({ ...readBy, body: '' }, request, 'x'.repeat(LOCATION_RESERVE_BYTES)));
  if (headersOnly > input.platformMaxBytes) {
    return new ResponseTooLargeError(
      `The headers and cookies alone are over the limit: ${headersOnly} bytes is over the ${input.platformMaxBytes}-byte limit`,
      { bytes: headersOnly, maxBytes: input.platformMaxBytes },
    );
  }
  const step: SpillStep = {
    answer: settings.reference && request.wantsReference ? 'reference' : 'see-other',
    reuse: false,
    readBy,
    headers,
  };
  return { kind: 'spill', spill: step };
}

/**
 * The bytes of body that can still be answered inline: with the body empty,
 * the rest of `maxBytes`; as text (a textual media type: each byte of valid
 * UTF-8 is at least one byte of JSON), or as the bytes whose base64 fits.
 */
function inlineRoom(readBy: HttpResult, maxBytes: number, contentType: string | undefined): number {
  const text = !eventBodyOf(new Uint8Array(0), contentType).isBase64Encoded;
  if (text) return Math.max(0, maxBytes - payloadBytes({ ...readBy, body: '', isBase64Encoded: false }));
  const room = maxBytes - payloadBytes({ ...readBy, body: '', isBase64Encoded: true });
  return Math.max(0, Math.floor(room / 4) * 3);
}
