/** Reading back what the middleware stored, through the URL a client would follow. */
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { get } from 'node:http';

/** A raw GET (no decompression, unlike fetch): status, headers and the exact bytes. */
export function rawGet(url: string): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

export async function listKeys(client: S3Client, bucket: string): Promise<string[]> {
  const out = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
  return (out.Contents ?? []).map((o) => o.Key!);
}

export function locationOf(response: unknown): string {
  const r = response as { headers?: Record<string, string>; multiValueHeaders?: Record<string, string[]> };
  const location = r.headers?.Location ?? r.multiValueHeaders?.Location?.[0];
  if (location === undefined) throw new Error('no Location header');
  return location;
}
