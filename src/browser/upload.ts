/**
 * `lambda-s3-spill/browser`: the client side of the upload forms, for pages,
 * with nothing but `fetch` and `FormData` (no dependency, no Node.js API).
 *
 * Two steps: ask the API for a form (the endpoint whose handler returns
 * `createUpload()`), POST the file straight to S3 with it (its fields first,
 * the file last under the name `file`, as S3 requires), then call the API with
 * the reference: as a JSON body field, or as the whole body (`X-S3-Upload`).
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

/** An upload step that failed: which step, and the HTTP status (0 when the request itself failed). */
export class UploadRequestError extends Error {
  public readonly step: 'form' | 'storage' | 'api';
  public readonly status: number;

  public constructor(step: 'form' | 'storage' | 'api', status: number, message: string) {
    super(message);
    this.name = 'UploadRequestError';
    this.step = step;
    this.status = status;
  }
}

/** How to get a form and send the file. */
export interface UploadFileOptions {
  /** The API endpoint that answers with a form (`createUpload()`'s JSON). */
  readonly formUrl: string;
  /** The request for the form (method, headers, credentials). @default `{ method: 'POST' }` */
  readonly formInit?: RequestInit;
  /** The `fetch` to use. @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/**
 * Ask the API for an upload form.
 *
 * @throws UploadRequestError (`step: 'form'`) on a non-2xx answer
 */
export async function requestUploadForm(options: UploadFileOptions): Promise<BrowserUploadForm> {
  const doFetch = options.fetch ?? globalThis.fetch;
  const response = await doFetch(options.formUrl, { method: 'POST', ...options.formInit });
  if (!response.ok) throw new UploadRequestError('form', response.status, `the upload form request answered ${response.status}`);
  return (await response.json()) as BrowserUploadForm;
}

/**
 * POST a file to S3 with a form: every field in order, the `Content-Type` field
 * from the file when the form does not fix it (`application/octet-stream` for a
 * file without a type; the policy names the field, so it is always sent), the
 * file last.
 *
 * @throws UploadRequestError (`step: 'storage'`) when S3 refuses it (403 for a policy violation: too large, expired, wrong type)
 */
export async function postFile(form: BrowserUploadForm, file: Blob, fetchImpl: typeof fetch = globalThis.fetch): Promise<void> {
  if (form.maxBytes !== undefined && file.size > form.maxBytes) {
    throw new UploadRequestError('storage', 0, `the file has ${file.size} bytes, the form allows ${form.maxBytes}`);
  }
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  if (form.fields['Content-Type'] === undefined) body.append('Content-Type', file.type || 'application/octet-stream');
  body.append('file', file);
  const response = await fetchImpl(form.url, { method: 'POST', body });
  if (!response.ok) throw new UploadRequestError('storage', response.status, `the storage answered ${response.status}`);
}

/**
 * Both steps: get a form, POST the file to S3.
 *
 * @returns the reference to send to the API
 */
export async function uploadFile(file: Blob, options: UploadFileOptions): Promise<string> {
  const form = await requestUploadForm(options);
  await postFile(form, file, options.fetch);
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
 * @example
 * ```ts
 * import { sendFile } from 'lambda-s3-spill/browser';
 * declare const input: HTMLInputElement;
 * const response = await sendFile(input.files![0]!, { formUrl: '/upload-forms', apiUrl: '/photos', body: { title: 'Cat' } });
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
    return doFetch(options.apiUrl, { method: 'POST', ...init, headers });
  }
  headers.set('Content-Type', 'application/json');
  const body = JSON.stringify({ ...options.body, [options.field ?? 'file']: reference });
  return doFetch(options.apiUrl, { method: 'POST', ...init, headers, body });
}
