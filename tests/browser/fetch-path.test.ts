/**
 * The browser helper where there is no XMLHttpRequest (Node.js here, a service
 * worker elsewhere), or with a `fetch` given: the POST to S3 goes through
 * `fetch` (no progress events), an abort still rejects with the signal's
 * reason, and a network failure is an UploadRequestError with status 0 and the
 * cause. Against the local S3, in this process.
 */
import { createUpload } from 'lambda-s3-spill/uploads';
import { postFile, uploadFile, UploadRequestError } from 'lambda-s3-spill/browser';
import { refusedEndpoint } from '../../samples/local/fault-proxy.js';
import { useLocalS3 } from '../support/local-s3.js';

const s3 = useLocalS3('fetch-path', { verifySignatures: true });

const form = () => createUpload({ bucket: s3.bucket, s3Client: s3.client, maxBytes: 1024 });

it('there is no XMLHttpRequest here: postFile POSTs with fetch, and onProgress is not called', async () => {
  expect(typeof (globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest).toBe('undefined');
  const events: unknown[] = [];
  await postFile(await form(), new Blob(['hello']), { onProgress: (p) => events.push(p) });
  expect(events).toEqual([]);
});

it('uploadFile uses the given fetch for the form request and, without XMLHttpRequest, for the POST', async () => {
  const urls: string[] = [];
  const upload = await form();
  const fetchSpy: typeof fetch = async (input, init) => {
    urls.push(String(input));
    if (String(input) === 'https://api.example.com/forms') return new Response(JSON.stringify(upload));
    return fetch(input, init);
  };
  expect(await uploadFile(new Blob(['hello']), { formUrl: 'https://api.example.com/forms', fetch: fetchSpy })).toBe(upload.reference);
  expect(urls).toEqual(['https://api.example.com/forms', upload.url]);
});

it('an abort rejects with the reason, also when the fetch rejects with its own AbortError', async () => {
  const reason = new Error('stop');
  const before = new AbortController();
  before.abort(reason);
  await expect(postFile(await form(), new Blob(['x']), { signal: before.signal })).rejects.toBe(reason);
  const during = new AbortController();
  const ownAbortError: typeof fetch = () => {
    during.abort(reason);
    return Promise.reject(new DOMException('The operation was aborted.', 'AbortError'));
  };
  await expect(postFile(await form(), new Blob(['x']), { fetch: ownAbortError, signal: during.signal })).rejects.toBe(reason);
});

it('a network failure is an UploadRequestError with status 0 and the cause', async () => {
  const refused = await refusedEndpoint();
  const error = await postFile({ url: `${refused}/bucket`, fields: {}, reference: 'none' }, new Blob(['x'])).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(UploadRequestError);
  expect(error).toMatchObject({ step: 'storage', status: 0, message: 'the storage request failed' });
  expect(((error as Error).cause as Error).name).toBe('TypeError'); // fetch's own (another realm under Jest: no instanceof)
});
