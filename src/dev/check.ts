/**
 * `lambda-s3-spill check`: what a deploy pipeline runs on the function's
 * environment (the process's, or an env file) before it ships. It refuses what
 * the production guard would refuse at the first invocation, and a missing bucket.
 *
 * @module dev/check
 */
import { readFile } from 'node:fs/promises';
import { SPILL_CONTRACT } from '../contract.js';
import { bucketNameProblem } from '../s3/bucket-name.js';
import { ALLOW_PRIVATE_ENDPOINT, DEV_MARKER, endpointProblem, environmentEndpoint } from '../s3/endpoint-guard.js';

/**
 * The problems of an environment meant for a deployed function (empty: fine).
 * The environment is taken as deployed whatever `AWS_LAMBDA_FUNCTION_NAME` says:
 * it is what will be deployed.
 */
export function deploymentProblems(env: Record<string, string | undefined>): string[] {
  const problems: string[] = [];
  const bucket = env[SPILL_CONTRACT.bucketEnv];
  if (bucket === undefined || bucket === '') {
    problems.push(`${SPILL_CONTRACT.bucketEnv} is not set: s3Spill() and withS3Spill() without a bucket option fail at creation`);
  } else {
    const problem = bucketNameProblem(bucket);
    if (problem !== undefined) problems.push(`${SPILL_CONTRACT.bucketEnv} (${bucket}) ${problem}`);
  }
  if (env[DEV_MARKER] !== undefined) {
    problems.push(`${DEV_MARKER} is set: it marks a local environment and turns the production guard off; remove it`);
  }
  if (env.AWS_SAM_LOCAL !== undefined) {
    problems.push('AWS_SAM_LOCAL is set: it marks a sam local environment and turns the production guard off; remove it');
  }
  const endpoint = environmentEndpoint(env);
  if (endpoint !== undefined) {
    const problem = endpointProblem(endpoint.url, endpoint.variable, env);
    if (problem !== undefined) problems.push(problem);
  }
  if (env[ALLOW_PRIVATE_ENDPOINT] !== undefined && env[ALLOW_PRIVATE_ENDPOINT] !== '1') {
    problems.push(`${ALLOW_PRIVATE_ENDPOINT} must be 1 or unset`);
  }
  return problems;
}

/**
 * Read an env file: `NAME=value` lines (`#` comments, optional `export `, quotes
 * removed), or JSON: an object of strings, or the `Variables` (or
 * `Environment.Variables`) of `aws lambda get-function-configuration`.
 */
export async function readEnvFile(path: string): Promise<Record<string, string>> {
  const text = await readFile(path, 'utf8');
  if (text.trimStart().startsWith('{')) {
    const parsed = JSON.parse(text) as Record<string, unknown>;
    const environment = parsed.Environment as { Variables?: unknown } | undefined;
    const variables = environment?.Variables ?? parsed.Variables ?? parsed;
    return Object.fromEntries(Object.entries(variables as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
  }
  const env: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (match === null) continue;
    let value = match[2];
    if ((value.startsWith('"') && value.endsWith('"')) || (value.startsWith("'") && value.endsWith("'"))) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    env[match[1]] = value;
  }
  return env;
}
