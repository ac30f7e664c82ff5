#!/usr/bin/env node
// The `lambda-s3-spill` command (dev, check). In a checkout of this repository it runs
// the TypeScript sources through tsx (a devDependency); installed from npm, the compiled files.
import { existsSync } from 'node:fs';

const source = new URL('../src/dev/cli.ts', import.meta.url);
const built = new URL('../dist/src/dev/cli.js', import.meta.url);
let cli;
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import(source.href);
} else {
  cli = await import(built.href);
}
process.exit(await cli.main(process.argv.slice(2)));
