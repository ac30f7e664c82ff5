#!/usr/bin/env node
/**
 * The browser test drives Debian's `chromium` (/usr/bin/chromium) with
 * playwright-core; playwright's own browser downloads are never used. `npm test`
 * runs this first: it installs the package with apt-get when it is missing and
 * this is root (CI runs as root on a fresh machine), and otherwise says what to do.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const CHROMIUM = '/usr/bin/chromium';

if (existsSync(CHROMIUM)) process.exit(0);
const root = typeof process.getuid === 'function' && process.getuid() === 0;
if (!root) {
  console.error(
    `ensure-chromium: ${CHROMIUM} is missing and this is not root, so it cannot be installed here.\n` +
      'Install it once with: sudo apt-get update && sudo apt-get install -y chromium (Debian/Ubuntu).\n' +
      'The browser upload test (tests/browser/upload.test.ts) needs it.',
  );
  process.exit(1);
}
console.log(`ensure-chromium: installing Debian's chromium for the browser test (apt-get)...`);
try {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: 'inherit', env });
  execFileSync('apt-get', ['install', '-y', 'chromium'], { stdio: 'inherit', env });
} catch (error) {
  console.error(`ensure-chromium: apt-get could not install chromium (${error.message}). The browser test needs ${CHROMIUM}.`);
  process.exit(1);
}
if (!existsSync(CHROMIUM)) {
  console.error(`ensure-chromium: apt-get finished but ${CHROMIUM} is still missing.`);
  process.exit(1);
}
