/**
 * The streams section of `npm run demo`: a CSV export of about 1 GiB, built
 * row by row from the cities data, from a buffered Function URL whose
 * process is capped at 512 MB (`--max-old-space-size=512`, one process per
 * invocation, `streams-case.ts`): without `s3Spill` it fails (a stream body
 * becomes an object in the runtime's JSON.stringify; built as one string it
 * does not fit in 512 MB); with `withS3Spill` (4 parts of 16 MiB at once, so
 * that threshold + 2 × 4 × 16 MiB + 64 MiB leaves room in 512 MB) the client
 * follows the 303 and the SHA-256 of what it downloaded equals the generator's. Then a 50 MB
 * answer three ways on the modelled link of `samples/local/link-proxy.ts`: streamed
 * (Lambda's first 6 MiB at the link's speed, then 2 MiB/s: modelled),
 * spilled (measured through the link model, the download included), and
 * inline (fails: over 6,291,556 bytes).
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { get } from 'node:http';
import { promisify } from 'node:util';
import { S3_LINK, startLinkProxy, streamedSeconds } from '../local/link-proxy.js';
import { startLocalS3 } from '../local/s3-server.js';

const run = promisify(execFile);
const CASE = new URL('./streams-case.ts', import.meta.url).pathname;
/** The export's size: 1 GiB (the whole section takes about a minute on a 2-core machine). */
export const EXPORT_BYTES = 1024 ** 3;
const ANSWER_BYTES = 50_000_000;

interface CaseLine {
  status: number;
  why?: string;
  location?: string;
  ms: number;
  peakRss: number;
  sha256: string;
}

/** One row of the table. */
export interface StreamsRow {
  readonly how: string;
  readonly status: string;
  readonly bytes: number;
  readonly peakRssMB: number | undefined;
  readonly seconds: number;
  readonly sha256Equal: boolean | undefined;
  readonly note: string;
}

async function invoke(endpoint: string, bucket: string, mode: string, bytes: number): Promise<CaseLine | { crashed: string; ms: number }> {
  const started = performance.now();
  try {
    const { stdout } = await run(process.execPath, ['--max-old-space-size=512', '--import', 'tsx', CASE, endpoint, bucket, mode, String(bytes)], {
      maxBuffer: 1 << 20,
    });
    return JSON.parse(stdout.trim().split('\n').pop()!) as CaseLine;
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? '');
    const reason = /heap out of memory/i.test(stderr) ? 'JavaScript heap out of memory' : (stderr.trim().split('\n').pop() ?? 'crashed');
    return { crashed: reason, ms: Math.round(performance.now() - started) };
  }
}

/** GET a URL; the bytes' SHA-256 and count, and the time to the last byte. */
function download(url: string): Promise<{ sha256: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      const hash = createHash('sha256');
      let bytes = 0;
      res.on('data', (c: Buffer) => {
        hash.update(c);
        bytes += c.length;
      });
      res.on('end', () => resolve({ sha256: hash.digest('hex'), bytes }));
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** Run the section; the rows of its two tables. */
export async function runStreamsDemo(exportBytes = EXPORT_BYTES): Promise<{ big: StreamsRow[]; answer: StreamsRow[] }> {
  const s3 = await startLocalS3('streams-demo');
  const proxy = await startLinkProxy(s3.endpoint);
  const big: StreamsRow[] = [];
  const answer: StreamsRow[] = [];
  try {
    for (const [mode, how] of [
      ['plain', 'stream body, no s3Spill'],
      ['string', 'built as one string, no s3Spill'],
      ['spilled', 'stream body, withS3Spill'],
    ] as const) {
      const line = await invoke(s3.endpoint, s3.bucket, mode, exportBytes);
      if ('crashed' in line) {
        big.push({ how, status: '502', bytes: exportBytes, peakRssMB: undefined, seconds: line.ms / 1000, sha256Equal: undefined, note: `the function crashed: ${line.crashed}` });
        continue;
      }
      if (line.status !== 303) {
        big.push({ how, status: String(line.status), bytes: exportBytes, peakRssMB: line.peakRss / 2 ** 20, seconds: line.ms / 1000, sha256Equal: undefined, note: line.why ?? '' });
        continue;
      }
      const started = performance.now();
      const got = await download(line.location!);
      big.push({
        how,
        status: '303 -> 200',
        bytes: got.bytes,
        peakRssMB: line.peakRss / 2 ** 20,
        seconds: (line.ms + performance.now() - started) / 1000,
        sha256Equal: got.sha256 === line.sha256,
        note: `spilled in ${(line.ms / 1000).toFixed(1)} s, downloaded in ${((performance.now() - started) / 1000).toFixed(1)} s`,
      });
    }

    // 50 MB three ways on the modelled link.
    answer.push({ how: 'streamed (RESPONSE_STREAM)', status: '200', bytes: ANSWER_BYTES, peakRssMB: undefined, seconds: streamedSeconds(ANSWER_BYTES), sha256Equal: undefined, note: 'modelled: the first 6 MiB at the link speed, then 2 MiB/s' });
    const line = await invoke(proxy.endpoint, s3.bucket, 'spilled', ANSWER_BYTES);
    if ('crashed' in line || line.status !== 303) throw new Error('the 50 MB spill failed');
    const started = performance.now();
    const got = await download(line.location!);
    answer.push({
      how: 'spilled (303 to S3)',
      status: '303 -> 200',
      bytes: got.bytes,
      peakRssMB: line.peakRss / 2 ** 20,
      seconds: (line.ms + performance.now() - started) / 1000,
      sha256Equal: got.sha256 === line.sha256,
      note: `measured through the link model (${S3_LINK.bytesPerSecond / 1e6} MB/s per connection, ${S3_LINK.roundTripMs} ms)`,
    });
    const inline = await invoke(proxy.endpoint, s3.bucket, 'string', ANSWER_BYTES);
    answer.push({
      how: 'inline (buffered, no s3Spill)',
      status: '502',
      bytes: ANSWER_BYTES,
      peakRssMB: 'crashed' in inline ? undefined : inline.peakRss / 2 ** 20,
      seconds: inline.ms / 1000,
      sha256Equal: undefined,
      note: 'crashed' in inline ? inline.crashed : (inline.why ?? ''),
    });
  } finally {
    await proxy.stop();
    await s3.stop();
  }
  return { big, answer };
}

/** A table of rows, as Markdown. */
export function formatStreamsTable(rows: readonly StreamsRow[]): string {
  const header = ['how', 'status', 'bytes', 'peak RSS (MB)', 'time to last byte (s)', 'sha256 equal', 'what happened'];
  const lines = rows.map((r) => [
    r.how,
    r.status,
    r.bytes.toLocaleString('en-US'),
    r.peakRssMB === undefined ? '-' : r.peakRssMB.toFixed(0),
    r.seconds.toFixed(1),
    r.sha256Equal === undefined ? '-' : r.sha256Equal ? 'yes' : 'no',
    r.note,
  ]);
  return [header, header.map(() => '---'), ...lines].map((cells) => `| ${cells.join(' | ')} |`).join('\n');
}

/** Print the section; `false` when the 1 GiB export was not delivered byte for byte. */
export async function printStreamsDemo(): Promise<boolean> {
  const { big, answer } = await runStreamsDemo();
  console.log(`\nStreams: a ${(EXPORT_BYTES / 2 ** 30).toFixed(0)} GiB CSV export (the cities data, row by row) from a buffered Function URL capped at 512 MB:\n`);
  console.log(formatStreamsTable(big));
  console.log('\nA 50 MB answer three ways on the modelled link:\n');
  console.log(formatStreamsTable(answer));
  const ok = big.some((r) => r.status === '303 -> 200' && r.sha256Equal === true && r.bytes === EXPORT_BYTES);
  console.log(ok ? '\nThe 1 GiB export was delivered byte-identical through a 303.' : '\nThe 1 GiB export was NOT delivered.');
  return ok;
}
