/**
 * Issue 19, item 3: `lambda-s3-spill dev` opened its port before the handler
 * had loaded, and a request in that window answered 500 ("Cannot access
 * 'queue' before initialization"). Tools that wait for a port (wait-on,
 * start-server-and-test, a browser reload) send their first request then.
 */
import { rmSync } from 'node:fs';
import { connect } from 'node:net';
import { commonJsProject, freePort, request, runCli, stopDev } from '../dev/support.js';

/** Resolves once a TCP connection to the port is accepted (tried again and again until then). */
async function accepted(port: number, exited: Promise<unknown>): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error('the command exited before its port accepted a connection');
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

it('a request sent the moment the port accepts gets the handler’s answer (the handler takes 1.5 s to load)', async () => {
  const dir = commonJsProject({
    'slow-start.mjs': "await new Promise((resolve) => setTimeout(resolve, 1500));\nexport const handler = async () => ({ statusCode: 200, body: 'loaded' });\n",
  });
  const port = await freePort();
  const cli = runCli(['dev', 'slow-start.mjs', '--port', String(port)], process.env, dir);
  try {
    await accepted(port, cli.exited);
    const answer = await request(`http://127.0.0.1:${port}/first`);
    expect([answer.status, answer.body.toString()]).toEqual([200, 'loaded']);
    expect([...cli.lines, ...cli.stderr].join('\n')).not.toContain('internal error');
  } finally {
    await stopDev(cli);
    rmSync(dir, { recursive: true, force: true });
  }
});
