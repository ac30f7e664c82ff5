/**
 * Start the local S3 in a child process and make clients for it, configured as
 * `samples/local/s3-server.ts` configures its own (path style, fixed
 * credentials, checksums only when required: s3rver 3.7 needs that, real S3 does not).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { get } from 'node:http';
import { createInterface } from 'node:readline';
import type { S3Client } from '@aws-sdk/client-s3';
import { localS3Client } from '../samples/local/s3-server.js';

/** A local S3 server running in a child process. */
export interface ServerProcess {
  readonly endpoint: string;
  readonly bucket: string;
  /** A new client for the server (its own sockets and credential cache). */
  newClient(): S3Client;
  stop(): Promise<void>;
}

/** The node that runs the benchmark (Node 22 from `node_modules/.bin` under `npm run`). */
export const NODE = process.execPath;

/** Where the server keeps its objects: a RAM disk when there is one (less disk noise in the timings). */
export const STORAGE = ramDisk() ?? 'the default temporary directory';

function ramDisk(): string | undefined {
  try {
    accessSync('/dev/shm', constants.W_OK);
    return '/dev/shm';
  } catch {
    return undefined;
  }
}

export async function startServerProcess(): Promise<ServerProcess> {
  const shm = ramDisk();
  const child: ChildProcess = spawn(NODE, ['--import', 'tsx', new URL('./s3-server-process.ts', import.meta.url).pathname], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: shm === undefined ? process.env : { ...process.env, TMPDIR: shm },
  });
  const first = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve(line));
    child.once('exit', (code) => reject(new Error(`local S3 exited with ${code}`)));
  });
  const { endpoint, bucket } = JSON.parse(first) as { endpoint: string; bucket: string };
  const clients: S3Client[] = [];
  return {
    endpoint,
    bucket,
    newClient() {
      const client = localS3Client(endpoint);
      clients.push(client);
      return client;
    },
    async stop() {
      for (const c of clients) c.destroy();
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin!.end();
      await exited;
    },
  };
}

/**
 * GET a URL (a presigned URL of the local S3, what a client does after a 303)
 * and read it to the end.
 *
 * @returns the bytes received, once the last one arrived
 */
export function downloadBytes(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let bytes = 0;
      res.on('data', (c: Buffer) => (bytes += c.length));
      res.on('end', () => resolve(bytes));
      res.on('error', reject);
    }).on('error', reject);
  });
}
