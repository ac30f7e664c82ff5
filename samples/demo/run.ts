/**
 * `npm run demo`: the whole story on this machine, no AWS account.
 *
 * The demo handler runs under `lambda-s3-spill dev`, as a user's own handler
 * would: the command serves it as a Function URL (payload v2 events, Lambda's
 * 6,291,556-byte response limit enforced) with its embedded S3 on loopback. A
 * real HTTP client (fetch, following the 303 by hand to show the chain)
 * requests each route, without `s3Spill` (`#plain`) and with it (`#spilled`),
 * and compares what it received with the source bytes by SHA-256; the
 * serialized size and what happened come from the command's request lines.
 */
import { createHash } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { demoDocuments } from './data.js';
import { startDevCommand } from './dev-command.js';

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
  return (await runDemoWithLog()).rows;
}

/** The table, and the request lines `lambda-s3-spill dev` printed (without and with s3Spill). */
export async function runDemoWithLog(): Promise<{ rows: DemoRow[]; log: string[] }> {
  const [plain, spilled] = await Promise.all([
    startDevCommand('samples/demo/handler.ts#plain', ['--timeout', '30']),
    startDevCommand('samples/demo/handler.ts#spilled', ['--timeout', '30']),
  ]);
  const rows: DemoRow[] = [];
  try {
    for (const document of await demoDocuments()) {
      // identity: no compression, so the spill shows; then a client accepting br and gzip,
      // which gets /cities compressed inline with no S3 round trip (docs/compression-and-reuse.md).
      for (const [middleware, server, acceptEncoding] of [
        ['none', plain, 'identity'],
        ['s3Spill', spilled, 'identity'],
        ['s3Spill', spilled, 'br, gzip'],
      ] as const) {
        const started = performance.now();
        const index = server.requests().length;
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
        const invocation = await server.request(index);
        rows.push({
          route: document.path,
          middleware,
          acceptEncoding,
          bodyBytes: document.bytes.length,
          serializedBytes: invocation.resultBytes ?? 0,
          delivery: invocation.outcome === '502 too large'
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
  }
  const requestLines = (output: string[]): string[] => output.filter((l) => / (GET|POST) \//.test(l));
  return { rows, log: [...requestLines(plain.output), ...requestLines(spilled.output)] };
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
  const { rows, log } = await runDemoWithLog();
  console.log(`lambda-s3-spill demo on Node ${process.versions.node}: lambda-s3-spill dev (Function URL, embedded S3 on 127.0.0.1)\n`);
  console.log(formatTable(rows));
  console.log('\nWhat lambda-s3-spill dev printed (#plain, then #spilled):\n');
  for (const line of log) console.log(`  ${line}`);
  const cities = rows.find((r) => r.route === '/cities' && r.middleware === 's3Spill' && r.acceptEncoding === 'identity');
  const ok = cities?.statusChain === '303 -> 200' && cities.sha256Equal;
  console.log(ok ? '\n/cities delivered byte-identical through a 303.' : '\n/cities was NOT delivered.');
  process.exitCode = ok ? 0 : 1;
  await (await import('./offload.js')).printOffloadDemo();
  if (!(await (await import('./uploads.js')).printUploadsDemo())) process.exitCode = 1;
  if (!(await (await import('./messages.js')).printMessagesDemo())) process.exitCode = 1;
  if (!(await (await import('./cache.js')).printCacheDemo())) process.exitCode = 1;
  if (!(await (await import('./streams.js')).printStreamsDemo())) process.exitCode = 1;
}
