/**
 * Issue 19, item 5: `npx lambda-s3-spill dev` left its processes behind.
 * npx does not forward SIGTERM, and under it the chain is `npm exec` → `sh -c`
 * → the CLI: killing npx leaves the shell, the CLI, the handler's runtime and
 * the embedded S3 running, holding both ports.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { NODE_22 } from '../support/node-binaries.js';
import { alive, descendants, freePort, portFree, ROOT } from '../dev/support.js';

/** Alive and not a zombie (a zombie has exited; only its parent has not read its status yet). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

function commandOf(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
  } catch {
    return String(pid);
  }
}

it('killing npx (SIGTERM, not forwarded) stops the CLI: both ports close within 5 s', async () => {
  const [port, s3Port] = [await freePort(), await freePort()];
  // npx and the CLI on the project's Node 22 (the machine's own node may be older).
  const env = { ...process.env, PATH: `${dirname(NODE_22)}:${process.env.PATH}`, npm_config_update_notifier: 'false' };
  const npx = spawn('npx', ['lambda-s3-spill', 'dev', 'samples/dev/echo.mjs', '--port', String(port), '--s3-port', String(s3Port)], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  npx.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let tree: number[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      npx.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('embedded S3 on')) resolve();
      });
      npx.once('exit', () => reject(new Error(`npx exited before the server was ready:\n${output}`)));
    });
    tree = descendants(npx.pid!);
    expect([await portFree(port), await portFree(s3Port)]).toEqual([false, false]);
    const npxGone = new Promise((resolve) => npx.once('exit', resolve));
    npx.kill('SIGTERM');
    await npxGone;
    const left = (): string[] => tree.filter(running).map((pid) => commandOf(pid));
    let free = [false, false];
    for (let tries = 0; tries < 50 && !(free[0] && free[1] && left().length === 0); tries++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      free = [await portFree(port), await portFree(s3Port)];
    }
    expect({ portsFree: free, left: left() }).toEqual({ portsFree: [true, true], left: [] });
  } finally {
    if (npx.exitCode === null && npx.signalCode === null) npx.kill('SIGKILL');
    for (const pid of tree.filter(alive)) process.kill(pid, 'SIGKILL');
  }
});
