/** docs/dev-server.md stays true: its code is the compiled samples, verbatim; its limits are the code's. */
import { readFileSync } from 'node:fs';
import { LAMBDA_REQUEST_MAX_BYTES } from '../../src/limits.js';

const page = readFileSync(new URL('../../docs/dev-server.md', import.meta.url), 'utf8');

it.each(['samples/dev/handler.ts', 'samples/dev/in-a-test.ts'])('shows %s verbatim', (file) => {
  const sample = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
  expect(page).toContain(`\`\`\`ts\n${sample}\`\`\``);
});

it('states the limits the server enforces', () => {
  expect(page).toContain('6,291,556');
  expect(page).toContain(`smaller than ${LAMBDA_REQUEST_MAX_BYTES.toLocaleString('en-US')} bytes`);
  for (const option of ['--front-door', '--payload', '--multi-value-headers', '--port', '--timeout', '--watch', '--data-dir', '--env-file']) {
    expect([option, page.includes(`\`${option}\``)]).toEqual([option, true]);
  }
});
