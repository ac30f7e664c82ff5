/**
 * moto in server mode (`moto_server`: SQS, SNS and S3 on one loopback port),
 * for the demo and the large-message tests: started on a free port, waited
 * for, stopped. No AWS account, nothing leaves the machine. moto does not
 * enforce AWS's message size limits (docs/messages.md, "Testing your code"):
 * whoever needs them measures sizes itself.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';

/** A running moto server. */
export interface Moto {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** What every AWS SDK v3 client needs to talk to it. */
  readonly clientConfig: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
    forcePathStyle: true;
  };
  stop(): Promise<void>;
}

const INSTALL_HINT =
  "Neither `moto_server` nor `python3 -m moto.server` runs here. The SQS/SNS large-message tests need moto in server mode: " +
  "install it with `python3 -m pip install 'moto[server]'` (Python 3.9 or later; `npm test` tries this itself, scripts/ensure-moto.mjs), then run the tests again.";

/** The command that starts moto here: `moto_server`, or `python3 -m moto.server`; otherwise an Error saying how to install it. */
export function requireMotoServer(env: NodeJS.ProcessEnv = process.env): { command: string; args: string[] } {
  for (const candidate of [
    { command: 'moto_server', args: [] },
    { command: 'python3', args: ['-m', 'moto.server'] },
  ]) {
    const probe = spawnSync(candidate.command, [...candidate.args, '--help'], { stdio: 'ignore', timeout: 60_000, env });
    if (probe.error === undefined && probe.status === 0) return candidate;
  }
  throw new Error(INSTALL_HINT);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** How long moto may take to answer (a cold Python start on a loaded machine: a few seconds; CI runs many test files at once). */
const STARTUP_MS = 90_000;

async function waitUntilUp(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + STARTUP_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`moto_server did not answer on ${endpoint} within ${STARTUP_MS / 1000} s:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Start `moto_server -H 127.0.0.1 -p <free port>` and wait until it answers. */
export async function startMoto(): Promise<Moto> {
  const moto = requireMotoServer();
  // A free port found by binding port 0; moto_server takes a number, so a second try covers the rare race.
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const child = spawn(moto.command, [...moto.args, '-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
    child.stderr!.on('data', (c: Buffer) => (log = (log + c.toString()).slice(-4000)));
    try {
      await waitUntilUp(endpoint, child, () => log);
    } catch (error) {
      child.kill('SIGKILL');
      if (attempt < 1 && /address already in use/i.test(log)) continue;
      throw error;
    }
    return {
      endpoint,
      clientConfig: {
        endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        forcePathStyle: true,
      },
      stop: () =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    };
  }
}
