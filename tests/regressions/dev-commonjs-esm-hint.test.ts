/**
 * Issue 18 §4 (the dev server's part): Middy 7 is ESM-only, so a handler of a
 * new `npm init -y` project (CommonJS) that requires it fails to load with
 * `ERR_PACKAGE_PATH_NOT_EXPORTED`, and one that requires an ES module fails
 * with `ERR_REQUIRE_ESM` where require(esm) is off (Node before 22.12). `lambda-s3-spill dev` says
 * what a CommonJS project does: `"type": "module"`, `.mts`, or Middy 6.
 */
import { rmSync } from 'node:fs';
import { commonJsProject, runCli } from '../dev/support.js';

const HINT = [/"type": "module"/, /\.mts/, /Middy 6/];

it.each([
  [
    'ERR_PACKAGE_PATH_NOT_EXPORTED: a CommonJS handler requires @middy/core 7',
    { 'handler.js': "const middy = require('@middy/core');\nexports.handler = middy(async () => ({ statusCode: 200, body: 'ok' }));\n" },
    {},
  ],
  [
    // What Node throws where require(esm) is off (before 22.12, or --no-experimental-require-module); in this
    // checkout the runtime runs under tsx, whose require hook turns an ES module into CommonJS, so it is thrown as Node does.
    'ERR_REQUIRE_ESM: a CommonJS handler requires an ES module',
    {
      'handler.js':
        "const error = new Error('require() of ES Module /app/node_modules/esm-only/index.js from /app/handler.js not supported.');\nerror.code = 'ERR_REQUIRE_ESM';\nthrow error;\n",
    },
    {},
  ],
])('%s: exit 1 with the error code and the hint', async (_name, files, env) => {
  const dir = commonJsProject(files);
  try {
    const cli = runCli(['dev', 'handler.js', '--port', '0'], { ...process.env, ...env }, dir);
    expect(await cli.exited).toBe(1);
    const stderr = cli.stderr.join('\n');
    expect(stderr).toMatch(/ERR_PACKAGE_PATH_NOT_EXPORTED|ERR_REQUIRE_ESM/);
    for (const part of HINT) expect(stderr).toMatch(part);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

it('control: a module that fails for another reason gets no such hint', async () => {
  const dir = commonJsProject({ 'handler.js': "throw new Error('this module fails while loading');\n" });
  try {
    const cli = runCli(['dev', 'handler.js', '--port', '0'], process.env, dir);
    expect(await cli.exited).toBe(1);
    expect(cli.stderr.join('\n')).toContain('this module fails while loading');
    expect(cli.stderr.join('\n')).not.toMatch(/Middy 6/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
