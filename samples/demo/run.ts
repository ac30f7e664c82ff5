/**
 * `npm run demo`: the whole story on this machine, no AWS account.
 *
 * An s3rver on loopback plays S3; a local Function URL front end turns HTTP
 * requests into payload v2 events and enforces Lambda's 6,291,556-byte response
 * limit; a real HTTP client (fetch, following the 303 by hand to show the chain)
 * requests each route of the demo handler, without `s3Spill` and with it, and
 * compares what it received with the source bytes by SHA-256.
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { startFrontDoor } from '../local/front-door-server.js';
import { startLocalS3 } from '../local/s3-server.js';
import { demoDocuments } from './data.js';
import { demoHandler } from './handler.js';

/** One line of the demo's table. */
export interface DemoRow {
  route: string;
  middleware: 'none' | 's3Spill';
  /** What the client's `Accept-Encoding` said. */
  acceptEncoding: string;
  bodyBytes: number;
  serializedBytes: number;
  /** `inline`, `inline <coding>` (compressed, no S3), `spilled` or `rejected` (Lambda's 502). */
  delivery: string;
  statusChain: string;
  sha256Equal: boolean;
  ms: number;
}

/** Run every route through both handlers and return the table. */
export async function runDemo(): Promise<DemoRow[]> {
  const s3 = await startLocalS3('demo-spill');
  const plain = await startFrontDoor(demoHandler(undefined));
  const spilled = await startFrontDoor(demoHandler({ bucket: s3.bucket, s3Client: s3.client }));
  const rows: DemoRow[] = [];
  try {
    for (const document of await demoDocuments()) {
      // identity: no compression, so the spill shows; then a client accepting br and gzip,
      // which gets /cities compressed inline with no S3 round trip (README, "Compression and reuse").
      for (const [middleware, server, acceptEncoding] of [
        ['none', plain, 'identity'],
        ['s3Spill', spilled, 'identity'],
        ['s3Spill', spilled, 'br, gzip'],
      ] as const) {
        const started = performance.now();
        const statuses: number[] = [];
        let response = await fetch(server.url + document.path, {
          redirect: 'manual',
          headers: { 'accept-encoding': acceptEncoding },
        });
        const coding = response.headers.get('content-encoding');
        statuses.push(response.status);
        if (response.status === 303) {
          await response.arrayBuffer();
          response = await fetch(response.headers.get('location')!, { redirect: 'manual' });
          statuses.push(response.status);
        }
        const received = Buffer.from(await response.arrayBuffer()); // fetch decodes br and gzip
        const ms = performance.now() - started;
        const invocation = server.invocations.at(-1)!;
        rows.push({
          route: document.path,
          middleware,
          acceptEncoding,
          bodyBytes: document.bytes.length,
          serializedBytes: invocation.serializedBytes,
          delivery: invocation.rejected
            ? 'rejected'
            : statuses[0] === 303
              ? 'spilled'
              : coding
                ? `inline ${coding}`
                : 'inline',
          statusChain: statuses.join(' -> '),
          sha256Equal: sha256(received) === sha256(document.bytes),
          ms: Math.round(ms),
        });
      }
    }
  } finally {
    await Promise.all([plain.stop(), spilled.stop()]);
    await s3.stop();
  }
  return rows;
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The table as Markdown, as the README shows it. */
export function formatTable(rows: DemoRow[]): string {
  const header = ['route', 'middleware', 'Accept-Encoding', 'body bytes', 'serialized bytes', 'delivery', 'status chain', 'sha256 equal', 'ms'];
  const lines = rows.map((r) => [
    r.route,
    r.middleware,
    r.acceptEncoding,
    r.bodyBytes.toLocaleString('en-US'),
    r.serializedBytes.toLocaleString('en-US'),
    r.delivery,
    r.statusChain,
    r.sha256Equal ? 'yes' : 'no',
    String(r.ms),
  ]);
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const rows = await runDemo();
  console.log(`lambda-s3-spill demo on Node ${process.versions.node}: local Function URL + s3rver on 127.0.0.1\n`);
  console.log(formatTable(rows));
  const cities = rows.find((r) => r.route === '/cities' && r.middleware === 's3Spill' && r.acceptEncoding === 'identity');
  const ok = cities?.statusChain === '303 -> 200' && cities.sha256Equal;
  console.log(ok ? '\n/cities delivered byte-identical through a 303.' : '\n/cities was NOT delivered.');
  process.exitCode = ok ? 0 : 1;
  if (!(await (await import('./uploads.js')).printUploadsDemo())) process.exitCode = 1;
}
