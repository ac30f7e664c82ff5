/**
 * The `lambda-s3-spill` command: `dev` (the handler behind a local front door
 * that enforces Lambda's limits, with an embedded S3) and `check` (a deploy
 * pipeline's check of the function's environment).
 *
 * Exit codes: 0 fine (dev: stopped by SIGINT, SIGTERM, SIGHUP, or the exit of the process that started it), 1 a problem (the reason
 * on stderr), 2 a usage error.
 *
 * @module dev/cli
 */
import { pathToFileURL } from 'node:url';
import { SPILL_CONTRACT } from '../contract.js';
import { recordAncestry, watchAncestry } from './ancestry.js';
import { deploymentProblems, readEnvFile } from './check.js';
import { DevSetupError } from './errors.js';
import type { DevFrontDoor } from './front-door.js';
import { startDevServer } from './server.js';

const USAGE = `Usage:
  lambda-s3-spill dev <module>[#<export>] [--front-door function-url|http-api|rest-api|alb]
                      [--payload 1.0|2.0] [--multi-value-headers] [--port N] [--timeout S]
                      [--watch] [--data-dir D] [--bucket B] [--prefix P] [--s3-port N]
                      [--invoke-mode BUFFERED|RESPONSE_STREAM] [--response-transfer-mode BUFFERED|STREAM]
                      [--memory MB]
  lambda-s3-spill check [--env-file F]`;

class UsageError extends Error {}

const FRONT_DOORS: readonly DevFrontDoor[] = ['function-url', 'http-api', 'rest-api', 'alb'];

interface Parsed {
  positional: string[];
  flags: Map<string, string | true>;
}

const VALUE_FLAGS = new Set([
  'front-door',
  'payload',
  'port',
  'timeout',
  'data-dir',
  'bucket',
  'prefix',
  's3-port',
  'env-file',
  'invoke-mode',
  'response-transfer-mode',
  'memory',
]);
const BOOLEAN_FLAGS = new Set(['multi-value-headers', 'watch', 'help']);

function parse(args: string[]): Parsed {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const [name, inline] = arg.slice(2).split(/=(.*)/s, 2);
    if (BOOLEAN_FLAGS.has(name)) {
      flags.set(name, true);
    } else if (VALUE_FLAGS.has(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) throw new UsageError(`--${name} needs a value`);
      flags.set(name, value);
    } else {
      throw new UsageError(`unknown option --${name}`);
    }
  }
  return { positional, flags };
}

function integerFlag(flags: Map<string, string | true>, name: string, fallback: number, min: number, max: number): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}`);
  return value;
}

async function dev(parsed: Parsed, out: (line: string) => void): Promise<number> {
  if (parsed.positional.length !== 1) throw new UsageError('dev needs one handler module, e.g. src/handler.ts#handler');
  const [module, exportName = 'handler'] = parsed.positional[0].split(/#(.*)/s, 2);
  const { flags } = parsed;
  const frontDoor = (flags.get('front-door') ?? 'function-url') as DevFrontDoor;
  if (!FRONT_DOORS.includes(frontDoor)) throw new UsageError(`--front-door must be one of ${FRONT_DOORS.join(', ')}`);
  const payload = flags.get('payload') ?? '2.0';
  if (payload !== '1.0' && payload !== '2.0') throw new UsageError('--payload must be 1.0 or 2.0');
  if (flags.has('payload') && frontDoor !== 'http-api') throw new UsageError('--payload applies to --front-door http-api only');
  if (flags.has('multi-value-headers') && frontDoor !== 'alb') throw new UsageError('--multi-value-headers applies to --front-door alb only');
  const invokeMode = flags.get('invoke-mode') ?? 'BUFFERED';
  if (invokeMode !== 'BUFFERED' && invokeMode !== 'RESPONSE_STREAM') throw new UsageError('--invoke-mode must be BUFFERED or RESPONSE_STREAM');
  if (flags.has('invoke-mode') && frontDoor !== 'function-url') throw new UsageError('--invoke-mode applies to --front-door function-url only');
  const transferMode = flags.get('response-transfer-mode') ?? 'BUFFERED';
  if (transferMode !== 'BUFFERED' && transferMode !== 'STREAM') throw new UsageError('--response-transfer-mode must be BUFFERED or STREAM');
  if (flags.has('response-transfer-mode') && frontDoor !== 'rest-api') {
    throw new UsageError('--response-transfer-mode applies to --front-door rest-api only');
  }
  const streaming = invokeMode === 'RESPONSE_STREAM' || transferMode === 'STREAM';
  // Lambda's memory settings: 128 MB to 10,240 MB (Lambda Developer Guide, "Configure Lambda function memory").
  const memoryMB = integerFlag(flags, 'memory', 1024, 128, 10_240);
  const timeoutRaw = flags.get('timeout') ?? '3';
  const timeoutSeconds = Number(timeoutRaw);
  if (!Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0 || timeoutSeconds > 900) {
    throw new UsageError('--timeout must be a number of seconds from 0 to 900 (Lambda allows at most 900)');
  }
  // Recorded before the handler loads: by the time it has, a parent may already be gone.
  const ancestors = recordAncestry();
  const server = await startDevServer({
    module,
    exportName,
    frontDoor,
    payload,
    multiValueHeaders: flags.has('multi-value-headers'),
    port: integerFlag(flags, 'port', 3000, 0, 65535),
    timeoutSeconds,
    watch: flags.has('watch'),
    dataDir: flags.get('data-dir') as string | undefined,
    bucket: flags.get('bucket') as string | undefined,
    prefix: flags.get('prefix') as string | undefined,
    s3Port: integerFlag(flags, 's3-port', 0, 0, 65535),
    streaming,
    memoryMB,
    log: out,
  });
  const door = frontDoor === 'http-api' ? `an HTTP API (payload ${payload})` : frontDoor === 'alb' ? `an ALB${flags.has('multi-value-headers') ? ' (multi-value headers)' : ''}` : frontDoor === 'rest-api' ? 'a REST API' : 'a Function URL';
  // The signal handlers go in before the ready lines: a signal sent as soon as they are read must stop, not kill, the command.
  const stopped = new Promise<number>((done) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return; // a second signal while stopping changes nothing
      stopping = true;
      out(`lambda-s3-spill dev: ${signal}, stopping`);
      void server.stop().then(() => done(0));
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGHUP', () => stop('SIGHUP'));
    // npx does not forward SIGTERM: when the command that started this one goes away, stop as for SIGTERM.
    watchAncestry(ancestors, (pid) => stop(`the process that started it (${pid}) exited`));
  });
  out(
    `lambda-s3-spill dev: ${module}#${exportName} as ${door}${streaming ? ', streaming' : ''} on ${server.url} (timeout ${timeoutSeconds} s, ${memoryMB} MB${flags.has('watch') ? ', watching' : ''})`,
  );
  out(`lambda-s3-spill dev: embedded S3 on ${server.s3.endpoint}, bucket ${server.s3.bucket} (AWS_ENDPOINT_URL_S3, ${SPILL_CONTRACT.bucketEnv} set for the handler)`);
  return stopped;
}

async function check(parsed: Parsed, out: (line: string) => void, err: (line: string) => void): Promise<number> {
  if (parsed.positional.length > 0) throw new UsageError('check takes no arguments but --env-file');
  const file = parsed.flags.get('env-file');
  let env: Record<string, string | undefined>;
  if (typeof file === 'string') {
    try {
      env = await readEnvFile(file);
    } catch (error) {
      throw new DevSetupError(`cannot read the env file ${file}: ${(error as Error).message}`);
    }
  } else {
    env = process.env;
  }
  const problems = deploymentProblems(env);
  const source = typeof file === 'string' ? file : 'the environment';
  if (problems.length === 0) {
    out(`lambda-s3-spill check: ${source} is fine for a deployed function (bucket ${env[SPILL_CONTRACT.bucketEnv]})`);
    return 0;
  }
  for (const problem of problems) err(`lambda-s3-spill check: ${problem}`);
  return 1;
}

/**
 * Run the command.
 *
 * @param args - the arguments after the command name
 * @returns the exit code
 */
export async function main(
  args: string[],
  out: (line: string) => void = (line) => console.log(line),
  err: (line: string) => void = (line) => console.error(line),
): Promise<number> {
  try {
    const [command, ...rest] = args;
    const parsed = parse(rest);
    if (command === undefined || command === '--help' || parsed.flags.has('help')) {
      out(USAGE);
      return command === undefined ? 2 : 0;
    }
    if (command === 'dev') return await dev(parsed, out);
    if (command === 'check') return await check(parsed, out, err);
    throw new UsageError(`unknown command ${command}`);
  } catch (error) {
    if (error instanceof UsageError) {
      err(`lambda-s3-spill: ${error.message}\n${USAGE}`);
      return 2;
    }
    if (error instanceof DevSetupError) {
      err(`lambda-s3-spill: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await main(process.argv.slice(2));
}
