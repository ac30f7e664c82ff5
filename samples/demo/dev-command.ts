/**
 * `lambda-s3-spill dev` run as a user runs it, as a child process: the demo
 * starts it on its own handler and reads what it prints (the URL, then one line
 * per request: method, path, status, serialized result bytes, what happened).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'lambda-s3-spill.js');

/** One request line of the command. */
export interface DevRequestLine {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  /** Serialized result bytes (`undefined` when the handler did not answer: 413, timeout). */
  readonly resultBytes: number | undefined;
  /** inline, inline compressed, spilled, reference, 502 too large, 413, timeout, error */
  readonly outcome: string;
}

/** A running `lambda-s3-spill dev`. */
export interface DevCommand {
  readonly url: string;
  /** Everything it printed, line by line. */
  readonly output: string[];
  /** Its request lines so far, oldest first. */
  requests(): DevRequestLine[];
  /** The request line at `index` (0: the first), once it is printed. */
  request(index: number): Promise<DevRequestLine>;
  /** SIGINT, as Ctrl-C; resolves with the exit code. */
  stop(): Promise<number | null>;
}

const REQUEST_LINE = /^\d\d:\d\d:\d\d\.\d{3} (\S+) (\S+) (\d{3}) (-|[\d,]+ B) (.+) \d+ ms$/;

/**
 * Start `lambda-s3-spill dev <target> --port 0 ...args`.
 *
 * @param target - `module#export`
 */
export function startDevCommand(target: string, args: string[] = []): Promise<DevCommand> {
  const child: ChildProcess = spawn(process.execPath, [BIN, 'dev', target, '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const output: string[] = [];
  const waiting: (() => void)[] = [];
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    let rest = '';
    let url: string | undefined;
    child.stdout!.on('data', (chunk: Buffer) => {
      const parts = (rest + chunk.toString('utf8')).split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        output.push(line);
        for (const wake of waiting.splice(0)) wake();
        url ??= / on (http:\/\/127\.0\.0\.1:\d+) /.exec(line)?.[1];
        if (url !== undefined && line.includes('embedded S3 on')) {
          const requests = (): DevRequestLine[] =>
            output.flatMap((l) => {
              const m = REQUEST_LINE.exec(l);
              if (m === null) return [];
              const bytes = m[4] === '-' ? undefined : Number(m[4].replace(/[, B]/g, ''));
              return [{ method: m[1], path: m[2], status: Number(m[3]), resultBytes: bytes, outcome: m[5] }];
            });
          const request = async (index: number): Promise<DevRequestLine> => {
            while (requests().length <= index) {
              if (child.exitCode !== null) throw new Error(`lambda-s3-spill dev exited before request line ${index}`);
              await new Promise<void>((wake) => waiting.push(wake));
            }
            return requests()[index];
          };
          resolve({
            url,
            output,
            requests,
            request,
            stop: () => {
              if (child.exitCode === null) child.kill('SIGINT');
              return exited;
            },
          });
        }
      }
    });
    void exited.then((code) => reject(new Error(`lambda-s3-spill dev ${target} exited (${code}):\n${output.join('\n')}`)));
  });
}
