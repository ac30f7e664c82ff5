/**
 * The browser helper (`lambda-s3-spill/browser`) in headless Chromium (Debian's
 * `chromium`, driven by playwright-core; `scripts/ensure-chromium.mjs`, run by
 * `npm test`, installs it): a page on one origin asks the API on another for a
 * form, POSTs a 20 MB file straight to the local S3 (a third origin), and calls
 * the API with the reference; the handler receives it byte-identical, both as
 * a file field and as the whole body. CORS on the API (@middy/http-cors) and
 * on the bucket. A file over maxBytes is refused: the local S3 stores it (it
 * checks no POST policy), `s3Uploads` refuses it.
 */
import middy from '@middy/core';
import httpCors from '@middy/http-cors';
import httpErrorHandler from '@middy/http-error-handler';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { build } from 'esbuild';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { createUpload, s3Uploads, type S3Upload } from 'lambda-s3-spill/uploads';
import { type FrontDoorServer, startFrontDoor } from '../../samples/local/front-door-server.js';
import { type LocalS3, startLocalS3 } from '../../samples/local/s3-server.js';

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

async function servePage(script: string): Promise<Server> {
  const server = createServer((req, res) => {
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
    if (event.rawPath === '/forms') {
      const form = await createUpload({ bucket: s3.bucket, s3Client: s3.client, maxBytes: MAX_BYTES });
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
  api = await startFrontDoor(apiHandler(pageOrigin));
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
});

afterAll(async () => {
  await browser?.close();
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
