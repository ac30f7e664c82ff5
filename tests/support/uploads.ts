/** Sending a file through an upload form, as a browser does (fields first, the file last), and watching a client. */
import type { S3Client } from '@aws-sdk/client-s3';
import type { UploadForm } from '../../src/uploads/create-upload.js';

/** POST `bytes` with the form, as the browser helper does: a `Content-Type` field when the form has none. */
export async function postForm(
  form: Pick<UploadForm, 'url' | 'fields'>,
  bytes: Uint8Array,
  contentType?: string,
): Promise<Response> {
  const body = new FormData();
  for (const [name, value] of Object.entries(form.fields)) body.append(name, value);
  if (form.fields['Content-Type'] === undefined) body.append('Content-Type', contentType ?? 'application/octet-stream');
  body.append('file', new Blob([new Uint8Array(bytes)], { type: contentType ?? 'application/octet-stream' }), 'upload.bin');
  const response = await fetch(form.url, { method: 'POST', body });
  await response.arrayBuffer();
  return response;
}

/** A v2 (Function URL) event carrying `body` as a parsed object or text, and `headers`. */
export function uploadEvent(body: unknown, headers: Record<string, string> = {}): Record<string, unknown> {
  return {
    version: '2.0',
    rawPath: '/items',
    headers: { ...headers },
    requestContext: { domainName: 'abc.lambda-url.us-east-1.on.aws', http: { method: 'POST', path: '/items' } },
    body,
    isBase64Encoded: false,
  };
}

const recorded: S3Client[] = [];
afterEach(() => {
  for (const client of recorded.splice(0)) Reflect.deleteProperty(client, 'send');
});

/** Every command name a client sends from now on (until the test ends). */
export function recordCommands(client: S3Client): string[] {
  const sent: string[] = [];
  const original = client.send.bind(client) as (...args: unknown[]) => unknown;
  Object.defineProperty(client, 'send', {
    configurable: true,
    value: (command: { constructor: { name: string } }, ...rest: unknown[]) => {
      sent.push(command.constructor.name);
      return original(command, ...rest);
    },
  });
  recorded.push(client);
  return sent;
}
