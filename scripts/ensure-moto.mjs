#!/usr/bin/env node
/**
 * The SQS/SNS large-message tests (tests/messages) run against moto in server
 * mode (SQS, SNS and S3 on one loopback port). `npm test` runs this first: when
 * neither `moto_server` nor `python3 -m moto.server` runs, it installs
 * `moto[server]` with pip, and otherwise says what to do. The tests start and
 * stop the server themselves (tests/support/moto.ts).
 */
import { spawnSync } from 'node:child_process';

const HINT = "Install it once with: python3 -m pip install 'moto[server]' (Python 3.9 or later); the tests run `moto_server` or `python3 -m moto.server`.";

const runs = (command, args) => {
  const probe = spawnSync(command, [...args, '--help'], { stdio: 'ignore', timeout: 60_000 });
  return probe.error === undefined && probe.status === 0;
};
const present = () => runs('moto_server', []) || runs('python3', ['-m', 'moto.server']);

if (present()) process.exit(0);
if (!runs('python3', ['-c', 'import sys'])) {
  console.error(`ensure-moto: moto is missing and there is no python3 to install it with.\n${HINT}`);
  process.exit(1);
}
console.log("ensure-moto: installing moto[server] for the SQS/SNS tests (pip)...");
const install = spawnSync('python3', ['-m', 'pip', 'install', '--quiet', 'moto[server]'], { stdio: 'inherit' });
if (install.status !== 0 || !present()) {
  console.error(`ensure-moto: pip could not install moto[server] here.\n${HINT}`);
  process.exit(1);
}
