/**
 * `lambda-s3-spill/browser`: the client side of the upload forms, for pages,
 * with nothing but `fetch`, `XMLHttpRequest` and `FormData` (no dependency, no
 * Node.js API).
 *
 * Two steps: ask the API for a form (the endpoint whose handler returns
 * `createUpload()`), POST the file straight to S3 with it (its fields first,
 * the file last under the name `file`, as S3 requires), then call the API with
 * the reference: as a JSON body field, or as the whole body (`X-S3-Upload`).
 *
 * The POST to S3 goes through `XMLHttpRequest` where there is one: `fetch` has
 * no upload progress events, and a large file with no progress looks hung.
 *
 * The form's fields and the reference are credentials for this one upload:
 * do not log them.
 *
 * @module browser/upload
 */

/** The part of `createUpload()`'s answer the browser uses. */
export interface BrowserUploadForm {
  readonly url: string;
  readonly fields: Readonly<Record<string, string>>;
  readonly reference: string;
  readonly maxBytes?: number;
}

/** The step of an upload: the form request, the POST to S3, the API call. */
export type UploadStep = 'form' | 'storage' | 'api';

/**
 * An upload step that failed: which step, and the HTTP status; `0` when the
 * request itself failed (network, CORS, a file over the form's `maxBytes`),
 * then `cause` holds what the runtime said.
 *
 * @example
 * ```ts
 * import { UploadRequestError } from 'lambda-s3-spill/browser';
 * const error = new UploadRequestError('storage', 403, 'the storage answered 403');
 * console.log(error.step, error.status); // storage 403
 * ```
 */
export class UploadRequestError extends Error {
  public readonly step: UploadStep;
  public readonly status: number;

  public constructor(step: UploadStep, status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UploadRequestError';
    this.step = step;
    this.status = status;
  }
}

/** How far the POST to S3 is, in bytes. */
export interface UploadProgress {
  /** Bytes of the request body sent so far. */
  readonly loaded: number;
  /** Bytes of the whole request body: the multipart form (its fields and the file), a little more than the file. */
  readonly total: number;
}

/** How to POST a file to S3. */
export interface PostFileOptions {
  /**
   * POST with this `fetch` instead of `XMLHttpRequest` (no progress events:
   * `fetch` has no upload progress).
   * @default - `XMLHttpRequest` where there is one, otherwise `globalThis.fetch`
   */
  readonly fetch?: typeof fetch;
  /**
   * Called as the body goes out (the `XMLHttpRequest` upload's `progress`
   * events): `loaded` never decreases and ends at `total`. Registering it
   * makes a cross-origin POST send a CORS preflight (`OPTIONS`), which S3
   * answers from the bucket's CORS rule for POST (`SpillBucket`'s `UploadForms`).
   * @default - none
   */
  readonly onProgress?: (progress: UploadProgress) => void;
  /** Cancels the POST; the promise then rejects with the signal's `reason`. @default - none */
  readonly signal?: AbortSignal;
}

/** How to get a form and send the file. */
export interface UploadFileOptions {
  /** The API endpoint that answers with a form (`createUpload()`'s JSON). */
  readonly formUrl: string;
  /** The request for the form (method, headers, credentials). @default `{ method: 'POST' }` */
  readonly formInit?: RequestInit;
  /**
   * The `fetch` of the form request and the API call (the POST to S3 uses
   * `XMLHttpRequest`, or this `fetch` where there is none).
   * @default globalThis.fetch
   */
  readonly fetch?: typeof fetch;
  /** Progress of the POST to S3 (see {@link PostFileOptions.onProgress}). @default - none */
  readonly onProgress?: (progress: UploadProgress) => void;
  /**
   * Cancels whichever step is running (the form request, the POST to S3, the
   * API call); the promise then rejects with the signal's `reason`, and no
   * later step starts.
   * @default - none
   */
  readonly signal?: AbortSignal;
}

/**
 * Run one `fetch` of a step: an abort rejects with the signal's reason, a
 * request that fails on the network is an `UploadRequestError` with status 0.
 */
async function fetchStep(step: UploadStep, doFetch: typeof fetch, url: string, init: RequestInit, signal: AbortSignal | undefined): Promise<Response> {
  signal?.throwIfAborted();
  try {
    return await doFetch(url, signal === undefined ? init : { ...init, signal });
  } catch (error) {
    // A fetch implementation may reject with its own AbortError: the caller asked for the signal's reason.
    if (signal?.aborted) throw signal.reason;
    throw new UploadRequestError(step, 0, `the ${stepName(step)} request failed`, { cause: error });
  }
}

function stepName(step: UploadStep): string {
  return step === 'form' ? 'upload form' : step === 'storage' ? 'storage' : 'API';
}

/**
 * Ask the API for an upload form.
 *
 * @throws UploadRequestError (`step: 'form'`) on a non-2xx answer, or status 0 when the request failed
 * @throws the signal's `reason` when `signal` aborted
 * @example
 * ```ts
 * import { requestUploadForm } from 'lambda-s3-spill/browser';
 * const form = await requestUploadForm({ formUrl: '/upload-forms' });
 * console.log(form.maxBytes);
 * ```
 */
export async function requestUploadForm(options: UploadFileOptions): Promise<BrowserUploadForm> {
  const { signal } = options;
  const response = await fetchStep('form', options.fetch ?? globalThis.fetch, options.formUrl, { method: 'POST', ...options.formInit }, signal);
  if (!response.ok) throw new UploadRequestError('form', response.status, `the upload form request answered ${response.status}`);
  try {
    return (await response.json()) as BrowserUploadForm;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    throw error;
  }
}

/**
 * POST a file to S3 with a form: every field in order, the `Content-Type` field
 * from the file when the form does not fix it (`application/octet-stream` for a
 * file without a type; the policy names the field, so it is always sent), the
 * file last. With `XMLHttpRequest` (where there is one, and no `fetch` given),
 * so `onProgress` sees the body go out.
 *
 * @param form - the form from `requestUploadForm` (or `createUpload()`'s JSON)
 * @param file - the file
 * @param options - `fetch`, `onProgress`, `signal` (see {@link PostFileOptions})
 * @throws UploadRequestError (`step: 'storage'`) when S3 refuses it (403 for a policy violation: too large, expired,
 *   wrong type), or status 0 when the request failed or the file is over the form's `maxBytes`
 * @throws the signal's `reason` when `signal` aborted (the POST is cut: S3 stores nothing)
 * @example
 * ```ts
 * import { postFile, requestUploadForm } from 'lambda-s3-spill/browser';
 * declare const file: File;
 * const form = await requestUploadForm({ formUrl: '/upload-forms' });
 * await postFile(form, file, { onProgress: ({ loaded, total }) => console.log(`${Math.round((100 * loaded) / total)} %`) });
 * ```
 */
export async function postFile(form: BrowserUploadForm, file: Blob, options: PostFileOptions = {}): Promise<void> {
  const { signal } = options;
  signal?.throwIfAborted();
  if (form.maxBytes !== undefined && file.size > form.maxBytes) {
    throw new UploadRequestError('storage', 0, `the file has ${file.size} bytes, the form allows ${form.maxBytes}`);
  }
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  if (form.fields['Content-Type'] === undefined) body.append('Content-Type', file.type || 'application/octet-stream');
  body.append('file', file);
  const status =
    options.fetch === undefined && typeof XMLHttpRequest === 'function'
      ? await postWithXhr(form.url, body, options.onProgress, signal)
      : await postWithFetch(form.url, body, options.fetch ?? globalThis.fetch, signal);
  if (status < 200 || status > 299) throw new UploadRequestError('storage', status, `the storage answered ${status}`);
}

async function postWithFetch(url: string, body: FormData, doFetch: typeof fetch, signal: AbortSignal | undefined): Promise<number> {
  const response = await fetchStep('storage', doFetch, url, { method: 'POST', body }, signal);
  // S3 answers 204 (or a small XML document); read it so the connection is free.
  await response.arrayBuffer().catch(() => undefined);
  return response.status;
}

/** The POST by `XMLHttpRequest`: its upload events give the progress. Resolves with the status. */
function postWithXhr(url: string, body: FormData, onProgress: PostFileOptions['onProgress'], signal: AbortSignal | undefined): Promise<number> {
  return new Promise<number>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    let settled = false;
    let lastLoaded = -1;
    const settle = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const report = (loaded: number, total: number): void => {
      // Never backwards, never twice the same: a progress bar reads it as it is.
      if (loaded <= lastLoaded) return;
      lastLoaded = loaded;
      onProgress!({ loaded, total });
    };
    function onAbort(): void {
      xhr.abort();
      settle(() => reject(signal!.reason));
    }
    xhr.open('POST', url);
    if (onProgress !== undefined) {
      xhr.upload.addEventListener('progress', (event) => {
        if (event.lengthComputable) report(event.loaded, event.total);
      });
      // The body is all sent: the last event says so even when the runtime's last progress event came earlier.
      xhr.upload.addEventListener('load', (event) => {
        if (event.lengthComputable) report(event.total, event.total);
      });
    }
    xhr.addEventListener('load', () => settle(() => resolve(xhr.status)));
    xhr.addEventListener('error', () =>
      settle(() => reject(new UploadRequestError('storage', 0, 'the storage request failed', { cause: new TypeError('XMLHttpRequest network error') }))),
    );
    xhr.addEventListener('abort', () => settle(() => reject(signal?.aborted ? signal.reason : new UploadRequestError('storage', 0, 'the storage request was aborted'))));
    signal?.addEventListener('abort', onAbort, { once: true });
    xhr.send(body);
  });
}

/**
 * Both steps: get a form, POST the file to S3.
 *
 * @returns the reference to send to the API
 * @throws UploadRequestError (`step: 'form'` or `'storage'`), or the signal's `reason` when `signal` aborted
 * @example
 * ```ts
 * import { uploadFile } from 'lambda-s3-spill/browser';
 * declare const file: File;
 * const controller = new AbortController();
 * const reference = await uploadFile(file, { formUrl: '/upload-forms', signal: controller.signal });
 * console.log(reference.length);
 * ```
 */
export async function uploadFile(file: Blob, options: UploadFileOptions): Promise<string> {
  const form = await requestUploadForm(options);
  const { onProgress, signal } = options;
  // The given fetch is for the API's requests; S3's POST keeps XMLHttpRequest (progress) where there is one.
  await postFile(form, file, { onProgress, signal, fetch: typeof XMLHttpRequest === 'function' ? undefined : options.fetch });
  return form.reference;
}

/** How to call the API with the uploaded file. */
export interface SendFileOptions extends UploadFileOptions {
  /** The API endpoint the file is for. */
  readonly apiUrl: string;
  /**
   * `'field'`: a JSON body `{ ...body, [field]: reference }`; `'whole-body'`: an
   * empty body and the header `X-S3-Upload: <reference>` (the API gets the
   * file as its request body).
   * @default 'field'
   */
  readonly mode?: 'field' | 'whole-body';
  /** The body field of the reference. @default 'file' */
  readonly field?: string;
  /** Other fields of the JSON body. @default {} */
  readonly body?: Record<string, unknown>;
  /** The API request (method, headers, credentials). @default `{ method: 'POST' }` */
  readonly apiInit?: RequestInit;
}

/**
 * Upload a file through a form and call the API with its reference.
 *
 * @returns the API's response (any status: the caller reads it)
 * @throws UploadRequestError (`step` says which request failed; status 0 when it failed on the network)
 * @throws the signal's `reason` when `signal` aborted, whichever step was running
 * @example
 * ```ts
 * import { sendFile } from 'lambda-s3-spill/browser';
 * declare const input: HTMLInputElement;
 * declare const bar: HTMLProgressElement;
 * const controller = new AbortController();
 * const response = await sendFile(input.files![0]!, {
 *   formUrl: '/upload-forms',
 *   apiUrl: '/photos',
 *   body: { title: 'Cat' },
 *   onProgress: ({ loaded, total }) => { bar.max = total; bar.value = loaded; },
 *   signal: controller.signal,
 * });
 * console.log(response.status);
 * ```
 */
export async function sendFile(file: Blob, options: SendFileOptions): Promise<Response> {
  const reference = await uploadFile(file, options);
  const doFetch = options.fetch ?? globalThis.fetch;
  const init = options.apiInit ?? {};
  const headers = new Headers(init.headers);
  if (options.mode === 'whole-body') {
    headers.set('X-S3-Upload', reference);
    return fetchStep('api', doFetch, options.apiUrl, { method: 'POST', ...init, headers }, options.signal);
  }
  headers.set('Content-Type', 'application/json');
  const body = JSON.stringify({ ...options.body, [options.field ?? 'file']: reference });
  return fetchStep('api', doFetch, options.apiUrl, { method: 'POST', ...init, headers, body }, options.signal);
}
