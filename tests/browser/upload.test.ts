/**
 * The browser helper (`lambda-s3-spill/browser`) in headless Chromium (Debian's
 * `chromium`, driven by playwright-core; `scripts/ensure-chromium.mjs`, run by
 * `npm test`, installs it): a page on one origin asks the API on another for a
 * form, POSTs a 20 MB file straight to the local S3 (a third origin), and calls
 * the API with the reference; the handler receives it byte-identical, both as
 * a file field and as the whole body. CORS on the API (@middy/http-cors) and
 * on the bucket. A file over maxBytes is refused: the local S3 stores it (it
 * checks no POST policy), `s3Uploads` refuses it.
 *
 * Progress and cancel: the forms point at the local S3 through the fault
 * proxy, which forwards request bodies at a link's pace (loopback would send
 * 20 MB before the first progress event) and records what arrived of each.
 * An abort is tried before and during each step.
 */
import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import httpErrorHandler from '@middy/http-error-handler';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { build } from 'esbuild';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { createUpload, s3Uploads, type S3Upload } from 'lambda-s3-spill/uploads';
import { type FaultProxy, refusedEndpoint, startFaultProxy } from '../../samples/local/fault-proxy.js';
import { type FrontDoorServer, startFrontDoor } from '../../samples/local/front-door-server.js';
import { type LocalS3, localS3Client, startLocalS3 } from '../../samples/local/s3-server.js';

const CHROMIUM = '/usr/bin/chromium';
const MAX_BYTES = 21_000_000;
const FILE = randomBytes(20 * 1024 * 1024);
const OVER = randomBytes(MAX_BYTES + 1);
const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

let s3: LocalS3;
let api: FrontDoorServer;
let page: Server;
let pageOrigin: string;
let browser: Browser;
let proxy: FaultProxy;
/** 20 MB/s: a 20 MB file takes about a second, long enough for progress events and an abort half-way. */
const LINK_BYTES_PER_SECOND = 20 * 1024 * 1024;
/** Paths the API was called with, in order. */
const apiPaths: string[] = [];
/** Requests the API holds unanswered until the test releases them (an abort during a step). */
const held: { path: string; release: () => void }[] = [];
const heldArrivals: ((path: string) => void)[] = [];

/** Resolves when the API holds a request for `path`. */
function apiHolds(path: string): Promise<void> {
  if (held.some((h) => h.path === path)) return Promise.resolve();
  return new Promise((resolve) => heldArrivals.push((arrived) => arrived === path && resolve()));
}

/**
 * The test page, its script and files; any other path goes on to the local S3
 * (through the proxy), so a form can also be POSTed to the page's own origin.
 */
async function servePage(script: string): Promise<Server> {
  const server = createServer((req, res) => {
    if (!['/', '/upload.js', '/file.bin', '/over.bin'].includes(req.url ?? '/')) {
      const target = new URL(proxy.endpoint);
      const out = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.on('error', () => res.destroy());
      res.on('close', () => {
        if (!res.writableFinished) out.destroy();
      });
      req.pipe(out);
      return;
    }
    const files: Record<string, [string, string | Buffer]> = {
      '/': ['text/html', '<!doctype html><title>upload</title><p>upload test</p>'],
      '/upload.js': ['text/javascript', script],
      '/file.bin': ['application/octet-stream', FILE],
      '/over.bin': ['application/octet-stream', OVER],
    };
    const file = files[req.url ?? '/'];
    if (file === undefined) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': file[0] }).end(file[1]);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

function apiHandler(origin: string) {
  const route = async (event: Omit<APIGatewayProxyEventV2, 'body'> & { body: unknown }) => {
    const { method } = event.requestContext.http;
    if (method === 'OPTIONS') return { statusCode: 204, body: '' };
    apiPaths.push(event.rawPath);
    if (event.rawPath.startsWith('/held')) {
      await new Promise<void>((release) => {
        held.push({ path: event.rawPath, release });
        for (const arrived of heldArrivals) arrived(event.rawPath);
      });
      return { statusCode: 200, body: 'released' };
    }
    if (event.rawPath === '/forms' || event.rawPath === '/proxied-forms' || event.rawPath === '/same-origin-forms') {
      // The form's URL names the client's endpoint: the local S3, the proxy in front of it, or the page's own origin.
      const endpoint = { '/forms': s3.endpoint, '/proxied-forms': proxy.endpoint, '/same-origin-forms': pageOrigin }[event.rawPath];
      const signer = endpoint === s3.endpoint ? s3.client : localS3Client(endpoint);
      const form = await createUpload({ bucket: s3.bucket, s3Client: signer, maxBytes: MAX_BYTES });
      return { statusCode: 200, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' }, body: JSON.stringify(form) };
    }
    if (event.rawPath === '/files') {
      const file = (event.body as { file: S3Upload; title: string }).file;
      const bytes = await file.bytes();
      return { statusCode: 200, body: JSON.stringify({ sha256: sha(bytes), size: file.size, title: (event.body as { title: string }).title }) };
    }
    // /raw: the whole body, as the front door would have delivered it
    const bytes = Buffer.from(String(event.body), event.isBase64Encoded ? 'base64' : 'utf8');
    return { statusCode: 200, body: JSON.stringify({ sha256: sha(bytes), size: bytes.length, contentLength: event.headers['content-length'] }) };
  };
  return middy(route)
    .use(httpCors({ origin, methods: 'POST,OPTIONS', headers: 'content-type,x-s3-upload' }))
    .use(httpErrorHandler({ logger: false }))
    .use(s3Uploads({ bucket: s3.bucket, s3Client: s3.client, maxBytes: MAX_BYTES }));
}

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: run "node scripts/ensure-chromium.mjs" (as root it installs Debian's chromium), or apt-get install -y chromium`);
  }
  const bundle = await build({
    entryPoints: [fileURLToPath(new URL('../../src/browser/upload.ts', import.meta.url))],
    bundle: true,
    format: 'esm',
    write: false,
    platform: 'browser',
  });
  page = await servePage(bundle.outputFiles[0]!.text);
  pageOrigin = `http://127.0.0.1:${(page.address() as AddressInfo).port}`;
  s3 = await startLocalS3('browser-uploads', {
    verifySignatures: true,
    corsXml: `<CORSConfiguration><CORSRule>
      <AllowedOrigin>${pageOrigin}</AllowedOrigin>
      <AllowedMethod>POST</AllowedMethod><AllowedMethod>GET</AllowedMethod><AllowedMethod>HEAD</AllowedMethod>
      <AllowedHeader>*</AllowedHeader><ExposeHeader>ETag</ExposeHeader><MaxAgeSeconds>300</MaxAgeSeconds>
    </CORSRule></CORSConfiguration>`,
  });
  proxy = await startFaultProxy(s3.endpoint, () => ({ kind: 'throttle', bytesPerSecond: LINK_BYTES_PER_SECOND }));
  api = await startFrontDoor(apiHandler(pageOrigin));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterEach(() => {
  for (const h of held.splice(0)) h.release();
  heldArrivals.splice(0);
});

afterAll(async () => {
  await browser?.close();
  await proxy?.stop();
  await api?.stop();
  await s3?.stop();
  await new Promise((resolve) => page?.close(resolve));
});

/** Run the helper in a page on `pageOrigin` against the API on another origin. */
async function inPage(file: string, mode: 'field' | 'whole-body', bypassClientCheck = false) {
  const tab = await browser.newPage();
  try {
    await tab.goto(`${pageOrigin}/`);
    return await tab.evaluate(
      async ({ api, file, mode, bypassClientCheck }) => {
        const helper = await import('/upload.js' as string);
        const blob = new Blob([await (await fetch(file)).arrayBuffer()], { type: 'application/octet-stream' });
        if (bypassClientCheck) {
          // A client that ignores the form's maxBytes: straight to S3, then to the API.
          const form = await helper.requestUploadForm({ formUrl: `${api}/forms` });
          const clientSide = await helper.postFile(form, blob).then(() => 'sent', (e: Error) => e.message);
          await helper.postFile({ ...form, maxBytes: undefined }, blob);
          const response = await fetch(`${api}/files`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ file: form.reference }),
          });
          return { status: response.status, body: await response.text(), clientSide, origin: location.origin };
        }
        const response: Response = await helper.sendFile(blob, {
          formUrl: `${api}/forms`,
          apiUrl: `${api}/${mode === 'field' ? 'files' : 'raw'}`,
          mode,
          body: { title: 'twenty megabytes' },
        });
        return { status: response.status, body: await response.text(), clientSide: '', origin: location.origin };
      },
      { api: api.url, file, mode, bypassClientCheck },
    );
  } finally {
    await tab.close();
  }
}

it('a 20 MB file arrives byte-identical as a file field, from a page on another origin', async () => {
  const result = await inPage('/file.bin', 'field');
  expect(result.origin).not.toBe(new URL(api.url).origin);
  expect(result.status).toBe(200);
  expect(JSON.parse(result.body)).toEqual({ sha256: sha(FILE), size: FILE.length, title: 'twenty megabytes' });
});

it('a 20 MB file arrives byte-identical as the whole body (X-S3-Upload), base64 for its binary type', async () => {
  const result = await inPage('/file.bin', 'whole-body');
  expect(result.status).toBe(200);
  expect(JSON.parse(result.body)).toEqual({ sha256: sha(FILE), size: FILE.length, contentLength: String(FILE.length) });
});

it('a file over maxBytes: the helper refuses it, and when a client sends it anyway the local S3 stores it and s3Uploads answers 400', async () => {
  const result = await inPage('/over.bin', 'field', true);
  expect(result.clientSide).toBe(`the file has ${OVER.length} bytes, the form allows ${MAX_BYTES}`);
  expect(result.status).toBe(400);
  expect(JSON.parse(result.body)).toEqual({ message: 'The upload is too large' });
});

/** A tab on `pageOrigin` with the helper loaded as `window.helper`, and the requests the browser saw fail. */
async function openTab() {
  const tab = await browser.newPage();
  const failed: { method: string; url: string; error: string | undefined }[] = [];
  tab.on('requestfailed', (request) => failed.push({ method: request.method(), url: request.url(), error: request.failure()?.errorText }));
  await tab.goto(`${pageOrigin}/`);
  await tab.evaluate(async () => {
    (window as unknown as { helper: unknown }).helper = await import('/upload.js' as string);
  });
  return { tab, failed };
}

/** Wait until the proxy has seen the end of a request (answered, or the client went away). */
async function closedRequest(index: number) {
  for (;;) {
    const request = proxy.requests[index];
    if (request?.closed) return request;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

type Progress = { loaded: number; total: number };
/** What a sendFile in the page came to: its answer, or what it rejected with (`reason` when it was the abort's reason). */
type Outcome = { status?: number; body?: string; rejected?: { isReason: boolean; name: string; message: string; step?: string; status?: number; cause?: string }; events: Progress[] };

describe('progress and cancel', () => {
  it.each([
    ['from a page on another origin than the bucket (the progress listener makes the POST preflighted)', '/proxied-forms', 1],
    ['from a page on the bucket\'s origin (no preflight)', '/same-origin-forms', 0],
  ])('a 20 MB file reports its progress %s: more than one event, loaded never decreasing, ending at total', async (_, formsPath, preflights) => {
    const { tab } = await openTab();
    const first = proxy.requests.length;
    try {
      const result = await tab.evaluate(
        async ({ api, formsPath }): Promise<Outcome> => {
          const helper = (window as unknown as { helper: typeof import('../../src/browser/upload.js') }).helper;
          const blob = new Blob([await (await fetch('/file.bin')).arrayBuffer()], { type: 'application/octet-stream' });
          const events: Progress[] = [];
          const response = await helper.sendFile(blob, {
            formUrl: `${api}${formsPath}`,
            apiUrl: `${api}/files`,
            body: { title: 'watched' },
            onProgress: ({ loaded, total }) => events.push({ loaded, total }),
          });
          return { status: response.status, body: await response.text(), events };
        },
        { api: api.url, formsPath },
      );
      expect(result.status).toBe(200);
      expect(JSON.parse(result.body!)).toEqual({ sha256: sha(FILE), size: FILE.length, title: 'watched' });
      const { events } = result;
      expect(events.length).toBeGreaterThan(1);
      for (let i = 1; i < events.length; i++) expect(events[i]!.loaded).toBeGreaterThanOrEqual(events[i - 1]!.loaded);
      const total = events[0]!.total;
      expect(events.every((e) => e.total === total)).toBe(true);
      expect(events.at(-1)!.loaded).toBe(total);
      // total is the multipart body (the fields and the file), as S3 received it.
      const seen = proxy.requests.slice(first);
      const post = seen.find((r) => r.method === 'POST')!;
      expect(post).toMatchObject({ path: `/${s3.bucket}`, bodyEnded: true, bodyBytes: total });
      expect(total).toBeGreaterThan(FILE.length);
      expect(seen.filter((r) => r.method === 'OPTIONS')).toHaveLength(preflights);
      console.log(`progress ${formsPath}: ${events.length} events for ${total} bytes`);
    } finally {
      await tab.close();
    }
  });

  it('an abort half-way rejects with the signal\'s reason and cuts the POST before its body is complete; the API is never called', async () => {
    const { tab, failed } = await openTab();
    const first = proxy.requests.length;
    const firstApi = apiPaths.length;
    try {
      const result = await tab.evaluate(async ({ api }): Promise<Outcome> => {
        const helper = (window as unknown as { helper: typeof import('../../src/browser/upload.js') }).helper;
        const blob = new Blob([await (await fetch('/file.bin')).arrayBuffer()], { type: 'application/octet-stream' });
        const events: Progress[] = [];
        const controller = new AbortController();
        const reason = new Error('cancelled by the user');
        try {
          await helper.sendFile(blob, {
            formUrl: `${api}/proxied-forms`,
            apiUrl: `${api}/files`,
            signal: controller.signal,
            onProgress: ({ loaded, total }) => {
              events.push({ loaded, total });
              if (loaded >= total / 2) controller.abort(reason);
            },
          });
          return { events };
        } catch (error) {
          const e = error as Error;
          return { rejected: { isReason: error === reason, name: e.name, message: e.message }, events };
        }
      }, { api: api.url });
      expect(result.rejected).toEqual({ isReason: true, name: 'Error', message: 'cancelled by the user' });
      const total = result.events[0]!.total;
      expect(result.events.at(-1)!.loaded).toBeGreaterThanOrEqual(total / 2);
      expect(result.events.at(-1)!.loaded).toBeLessThan(total);
      // S3 stores nothing for a POST whose body did not all arrive; the local S3 stores the part it got as the
      // object (a truncated file), so what shows the cut is the request: the browser failed it, and the body
      // that reached the bucket's side stopped short of the multipart's size.
      const postIndex = proxy.requests.findIndex((r, i) => i >= first && r.method === 'POST');
      const post = await closedRequest(postIndex);
      expect(post.bodyEnded).toBe(false);
      expect(post.bodyBytes).toBeLessThan(total);
      expect(failed).toContainEqual({ method: 'POST', url: `${proxy.endpoint}/${s3.bucket}`, error: 'net::ERR_ABORTED' });
      expect(apiPaths.slice(firstApi)).toEqual(['/proxied-forms']);
      console.log(`abort half-way: ${result.events.length} events, cut at ${post.bodyBytes} of ${total} bytes`);
    } finally {
      await tab.close();
    }
  });

  /** Start a sendFile in the page with `window.cancel()` to abort it; resolves with its outcome. */
  function cancellableSend(tab: import('playwright-core').Page, formUrl: string, apiUrl: string, abortFirst = false) {
    return tab.evaluate(
      async ({ formUrl, apiUrl, abortFirst }): Promise<Outcome> => {
        const w = window as unknown as { helper: typeof import('../../src/browser/upload.js'); cancel: () => void };
        const controller = new AbortController();
        const reason = new DOMException('the user left the page', 'AbortError');
        w.cancel = () => controller.abort(reason);
        if (abortFirst) w.cancel();
        const events: Progress[] = [];
        try {
          const response = await w.helper.sendFile(new Blob(['a small file']), {
            formUrl,
            apiUrl,
            signal: controller.signal,
            onProgress: (p) => events.push({ loaded: p.loaded, total: p.total }),
          });
          return { status: response.status, events };
        } catch (error) {
          const e = error as Error;
          return { rejected: { isReason: error === reason, name: e.name, message: e.message }, events };
        }
      },
      { formUrl, apiUrl, abortFirst },
    );
  }
  const CANCELLED = { isReason: true, name: 'AbortError', message: 'the user left the page' };

  it('an abort before the start rejects with the reason and sends nothing', async () => {
    const { tab, failed } = await openTab();
    const firstApi = apiPaths.length;
    const first = proxy.requests.length;
    try {
      const result = await cancellableSend(tab, `${api.url}/proxied-forms`, `${api.url}/files`, true);
      expect(result).toEqual({ rejected: CANCELLED, events: [] });
      expect(apiPaths.slice(firstApi)).toEqual([]);
      expect(proxy.requests.slice(first)).toEqual([]);
      expect(failed).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('an abort during the form request rejects with the reason and starts no later step', async () => {
    const { tab, failed } = await openTab();
    const firstApi = apiPaths.length;
    const first = proxy.requests.length;
    try {
      const outcome = cancellableSend(tab, `${api.url}/held-forms`, `${api.url}/files`);
      await apiHolds('/held-forms');
      const cut = tab.waitForEvent('requestfailed', (request) => request.url() === `${api.url}/held-forms`);
      await tab.evaluate(() => (window as unknown as { cancel: () => void }).cancel());
      expect(await outcome).toEqual({ rejected: CANCELLED, events: [] });
      await cut;
      expect(failed).toEqual([{ method: 'POST', url: `${api.url}/held-forms`, error: 'net::ERR_ABORTED' }]);
      expect(apiPaths.slice(firstApi)).toEqual(['/held-forms']);
      expect(proxy.requests.slice(first)).toEqual([]);
    } finally {
      await tab.close();
    }
  });

  it('an abort during the API call rejects with the reason (the file was uploaded)', async () => {
    const { tab, failed } = await openTab();
    const firstApi = apiPaths.length;
    try {
      const outcome = cancellableSend(tab, `${api.url}/proxied-forms`, `${api.url}/held-api`);
      await apiHolds('/held-api');
      const cut = tab.waitForEvent('requestfailed', (request) => request.url() === `${api.url}/held-api`);
      await tab.evaluate(() => (window as unknown as { cancel: () => void }).cancel());
      const result = await outcome;
      expect(result.rejected).toEqual(CANCELLED);
      expect(result.events.at(-1)).toEqual({ loaded: result.events[0]!.total, total: result.events[0]!.total });
      await cut;
      expect(failed).toEqual([{ method: 'POST', url: `${api.url}/held-api`, error: 'net::ERR_ABORTED' }]);
      expect(apiPaths.slice(firstApi)).toEqual(['/proxied-forms', '/held-api']);
    } finally {
      await tab.close();
    }
  });

  it('a request that fails on the network is an UploadRequestError with status 0 and the cause, at every step', async () => {
    const refused = await refusedEndpoint();
    const { tab } = await openTab();
    try {
      const results = await tab.evaluate(
        async ({ api, refused }) => {
          const helper = (window as unknown as { helper: typeof import('../../src/browser/upload.js') }).helper;
          const blob = new Blob(['a small file']);
          const describe = (error: unknown) => {
            const e = error as InstanceType<typeof helper.UploadRequestError>;
            return { name: e.name, step: e.step, status: e.status, cause: (e.cause as Error | undefined)?.name };
          };
          return Promise.all([
            helper.sendFile(blob, { formUrl: `${refused}/forms`, apiUrl: `${api}/files` }).catch(describe),
            helper.postFile({ url: `${refused}/bucket`, fields: {}, reference: 'none' }, blob).catch(describe),
            helper.sendFile(blob, { formUrl: `${api}/forms`, apiUrl: `${refused}/files` }).catch(describe),
          ]);
        },
        { api: api.url, refused },
      );
      expect(results).toEqual([
        { name: 'UploadRequestError', step: 'form', status: 0, cause: 'TypeError' },
        { name: 'UploadRequestError', step: 'storage', status: 0, cause: 'TypeError' },
        { name: 'UploadRequestError', step: 'api', status: 0, cause: 'TypeError' },
      ]);
    } finally {
      await tab.close();
    }
  });
});
