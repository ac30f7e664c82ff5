/** Running `lambda-s3-spill` as a child process (async spawn: the test process keeps its event loop). */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const BIN = join(ROOT, 'bin', 'lambda-s3-spill.js');

/** A running command: its output so far, line by line. */
export interface Cli {
  readonly child: ChildProcess;
  readonly lines: string[];
  readonly stderr: string[];
  /** Resolves with the first line (stdout) matching, waiting up to `ms`. */
  waitFor(pattern: RegExp, ms?: number): Promise<string>;
  /** Resolves with the exit code (or the signal name). */
  readonly exited: Promise<number | string>;
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = process.env, cwd = ROOT): Cli {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const stderr: string[] = [];
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  const collect = (into: string[]) => {
    let rest = '';
    return (chunk: Buffer) => {
      const text = rest + chunk.toString('utf8');
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      for (const line of parts) {
        into.push(line);
        for (const w of [...waiters]) {
          if (w.pattern.test(line)) {
            waiters.splice(waiters.indexOf(w), 1);
            w.resolve(line);
          }
        }
      }
    };
  };
  child.stdout!.on('data', collect(lines));
  child.stderr!.on('data', collect(stderr));
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    child,
    lines,
    stderr,
    exited,
    waitFor(pattern, ms = 30_000) {
      const found = [...lines, ...stderr].find((l) => pattern.test(l));
      if (found !== undefined) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no line matched ${pattern} in ${ms} ms:\n${[...lines, ...stderr].join('\n')}`)), ms);
        waiters.push({ pattern, resolve: (l) => (clearTimeout(timer), resolve(l)) });
        void exited.then(() => setTimeout(() => reject(new Error(`exited before ${pattern}:\n${[...lines, ...stderr].join('\n')}`)), 50));
      });
    },
  };
}

/** Start `dev` on a free port; resolves with its URL once it serves. */
export async function startDev(args: string[], env: NodeJS.ProcessEnv = process.env, cwd = ROOT): Promise<Cli & { url: string }> {
  const cli = runCli(['dev', ...args, ...(args.includes('--port') ? [] : ['--port', '0'])], env, cwd);
  const banner = await cli.waitFor(/ on http:\/\/127\.0\.0\.1:\d+ /);
  const url = /(http:\/\/127\.0\.0\.1:\d+)/.exec(banner)![1];
  await cli.waitFor(/embedded S3 on/);
  return Object.assign(cli, { url });
}

/** SIGINT, and wait for the exit. */
export async function stopDev(cli: Cli): Promise<number | string> {
  if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGINT');
  return cli.exited;
}

/** Every descendant process id of `pid` (from /proc). */
export function descendants(pid: number): number[] {
  const all: { pid: number; ppid: number }[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      all.push({ pid: Number(entry), ppid });
    } catch {
      // gone
    }
  }
  const out: number[] = [];
  const walk = (parent: number) => {
    for (const p of all.filter((x) => x.ppid === parent)) {
      out.push(p.pid);
      walk(p.pid);
    }
  };
  walk(pid);
  return out;
}

export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether a port on 127.0.0.1 can be listened on. */
export function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A raw HTTP request (no redirect, no decompression). */
export async function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: Uint8Array | string } = {}) {
  const response = await fetch(url, { redirect: 'manual', ...init, body: init.body as BodyInit | undefined, headers: { 'accept-encoding': 'identity', ...init.headers } });
  return { status: response.status, headers: response.headers, body: Buffer.from(await response.arrayBuffer()) };
}

/** A port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A scratch project as `npm init -y` makes it (CommonJS: no "type"), in a
 * temporary folder, with `files` written into it and this project's
 * node_modules reachable as its own. Returns its folder.
 */
export function commonJsProject(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'lambda-s3-spill-cjs-'));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'my-function', version: '1.0.0', main: 'index.js', license: 'ISC' }, null, 2)}\n`);
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}
