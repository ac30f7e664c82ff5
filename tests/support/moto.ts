/**
 * moto in server mode (`moto_server`: SQS, SNS and S3 on one loopback port),
 * started by a test and stopped after it. moto does not enforce AWS's message
 * size limits (docs/messages.md, "Testing your code"): tests measure sizes themselves.
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
  "moto_server was not found on PATH. The SQS/SNS large-message tests need moto in server mode: install it with `pip install 'moto[server]'` (Python 3.9 or later), then run the tests again.";

/** Whether `moto_server` can be run here; otherwise an Error saying how to install it. */
export function requireMotoServer(): void {
  const probe = spawnSync('moto_server', ['--help'], { stdio: 'ignore' });
  if (probe.error !== undefined || probe.status !== 0) throw new Error(INSTALL_HINT, { cause: probe.error });
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

async function waitUntilUp(endpoint: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with ${child.exitCode}:\n${output()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`moto_server did not answer on ${endpoint} within 30 s:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Start `moto_server -H 127.0.0.1 -p <free port>` and wait until it answers. */
export async function startMoto(): Promise<Moto> {
  requireMotoServer();
  // A free port found by binding port 0; moto_server takes a number, so a second try covers the rare race.
  for (let attempt = 0; ; attempt++) {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const child = spawn('moto_server', ['-H', '127.0.0.1', '-p', String(port)], { stdio: ['ignore', 'pipe', 'pipe'] });
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
