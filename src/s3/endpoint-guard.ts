/**
 * The production guard: a function deployed to Lambda with a local S3 endpoint
 * (the one `lambda-s3-spill dev` sets, a MinIO in docker compose) must fail
 * loudly at its first invocation instead of spilling into nowhere.
 *
 * "A real Lambda environment" is `AWS_LAMBDA_FUNCTION_NAME` set (the Lambda
 * runtime sets it; Lambda docs, "Defined runtime environment variables"), with
 * neither `AWS_SAM_LOCAL` (set by `sam local`) nor {@link DEV_MARKER} (set by
 * `lambda-s3-spill dev`). There, an S3 endpoint on a loopback, private,
 * link-local or single-label host is a configuration error.
 *
 * Pure: no I/O but the client's own endpoint provider, no SDK import, no
 * `node:net` (an IP literal is told by its shape, {@link ipVersion}).
 *
 * @module s3/endpoint-guard
 */
import { LOCAL_CONTRACT } from '../contract.js';

/** Set to `1` by `lambda-s3-spill dev` for the handler it runs: the environment is local. */
export const DEV_MARKER = LOCAL_CONTRACT.devMarkerEnv;

/**
 * Set to `1` to allow a private (RFC 1918, unique-local, single-label) S3
 * endpoint in Lambda, for an S3-compatible store inside the VPC. Loopback is never allowed.
 */
export const ALLOW_PRIVATE_ENDPOINT = LOCAL_CONTRACT.allowPrivateEndpointEnv;

/** Whether `env` is a deployed Lambda function (not `sam local`, not `lambda-s3-spill dev`). */
export function inDeployedLambda(env: NodeJS.ProcessEnv): boolean {
  const name = env.AWS_LAMBDA_FUNCTION_NAME;
  if (name === undefined || name === '') return false;
  if (env.AWS_SAM_LOCAL !== undefined && env.AWS_SAM_LOCAL !== '' && env.AWS_SAM_LOCAL !== 'false') return false;
  return env[DEV_MARKER] !== '1';
}

/**
 * `4` or `6` for an IP literal, else `0` (what `net.isIP` answers): IPv4 as
 * four decimal octets, IPv6 as what the WHATWG URL parser takes between
 * brackets (it validates the literal), zone ids aside.
 */
export function ipVersion(host: string): 0 | 4 | 6 {
  if (/^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(host)) return 4;
  if (!host.includes(':') || !/^[0-9a-f:.]+$/i.test(host)) return 0;
  try {
    new URL(`http://[${host}]/`);
    return 6;
  } catch {
    return 0;
  }
}

/** `'loopback'`, `'private'` or `undefined` (a public host) for a host name or IP literal. */
export function hostKind(host: string): 'loopback' | 'private' | undefined {
  let h = host.toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h.endsWith('.')) h = h.slice(0, -1);
  if (h === 'localhost' || h.endsWith('.localhost')) return 'loopback';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  if (mapped !== null) h = mapped[1];
  const version = ipVersion(h);
  if (version === 4) {
    const [a, b] = h.split('.').map(Number);
    if (a === 127) return 'loopback';
    if (a === 0 || a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254)) {
      return 'private';
    }
    if (a === 100 && b >= 64 && b <= 127) return 'private'; // carrier-grade NAT (RFC 6598)
    return undefined;
  }
  if (version === 6) {
    if (h === '::1') return 'loopback';
    if (h === '::') return 'private';
    // fc00::/7 unique local, fe80::/10 link-local
    if (/^f[cd][0-9a-f]{0,2}:/.test(h) || /^fe[89ab][0-9a-f]?:/.test(h)) return 'private';
    return undefined;
  }
  // A single-label name (`minio`, `s3`, `host.docker.internal` aside) resolves only inside a local network.
  if (!h.includes('.') || h === 'host.docker.internal' || h.endsWith('.internal') || h.endsWith('.local')) return 'private';
  return undefined;
}

/**
 * Why `endpoint` may not be used by a deployed function, or `undefined`.
 *
 * @param endpoint - an endpoint URL (`http://127.0.0.1:4569`)
 * @param source - where it was found, for the message
 */
export function endpointProblem(endpoint: string, source: string, env: NodeJS.ProcessEnv): string | undefined {
  let host: string;
  try {
    host = new URL(endpoint).hostname;
  } catch {
    return `${source} is not a URL`;
  }
  const kind = hostKind(host);
  if (kind === undefined) return undefined;
  if (kind === 'private' && env[ALLOW_PRIVATE_ENDPOINT] === '1') return undefined;
  return (
    `${source} points S3 at a ${kind} address (${host}) in a deployed Lambda function: ` +
    `spilled responses would go nowhere. Remove it from the function's environment (it is for local runs: ` +
    `lambda-s3-spill dev sets ${DEV_MARKER}=1)` +
    (kind === 'private' ? `, or set ${ALLOW_PRIVATE_ENDPOINT}=1 for an S3-compatible store inside the VPC` : '')
  );
}

/**
 * The S3 endpoint the SDK reads from the environment (`AWS_ENDPOINT_URL_S3`,
 * else `AWS_ENDPOINT_URL`, unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`), and
 * the variable it came from.
 */
export function environmentEndpoint(env: NodeJS.ProcessEnv): { url: string; variable: string } | undefined {
  if (/^true$/i.test(env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? '')) return undefined;
  for (const variable of ['AWS_ENDPOINT_URL_S3', 'AWS_ENDPOINT_URL']) {
    const url = env[variable];
    if (url !== undefined && url !== '') return { url, variable };
  }
  return undefined;
}

/**
 * Why the environment's S3 endpoint may not be used here, or `undefined`
 * (not a deployed Lambda, no endpoint, or a public one). Checked when
 * `s3Spill()` / `withS3Spill()` are created.
 */
export function environmentEndpointProblem(env: NodeJS.ProcessEnv): string | undefined {
  if (!inDeployedLambda(env)) return undefined;
  const found = environmentEndpoint(env);
  return found === undefined ? undefined : endpointProblem(found.url, found.variable, env);
}

/** The parts of an S3Client's resolved configuration the guard reads. */
interface EndpointConfig {
  endpoint?: () => Promise<{ protocol?: string; hostname?: string; port?: number | string; path?: string } | undefined>;
  serviceConfiguredEndpoint?: () => Promise<string | undefined>;
  ignoreConfiguredEndpointUrls?: boolean;
}

const checked = new WeakMap<object, Promise<string | undefined>>();

/**
 * Why a client's endpoint may not be used here, or `undefined`. The endpoint
 * of a client resolves asynchronously (`config.endpoint()` for an explicit one,
 * `config.serviceConfiguredEndpoint()` for the environment's or the shared
 * config file's), so this runs before the first upload of each client, once.
 *
 * @param client - an S3Client (anything with a `config`)
 */
export function clientEndpointProblem(client: unknown, env: NodeJS.ProcessEnv = process.env): Promise<string | undefined> {
  if (!inDeployedLambda(env) || typeof client !== 'object' || client === null) return Promise.resolve(undefined);
  let answer = checked.get(client);
  if (answer === undefined) {
    answer = resolveClientEndpoint(client).then((url) =>
      url === undefined ? undefined : endpointProblem(url, "The S3 client's endpoint", env),
    );
    checked.set(client, answer);
  }
  return answer;
}

async function resolveClientEndpoint(client: object): Promise<string | undefined> {
  const config = (client as { config?: EndpointConfig }).config;
  if (config === undefined) return undefined;
  try {
    if (typeof config.endpoint === 'function') {
      const e = await config.endpoint();
      if (e?.hostname === undefined) return undefined;
      const port = e.port === undefined || e.port === '' ? '' : `:${e.port}`;
      const host = e.hostname.includes(':') && !e.hostname.startsWith('[') ? `[${e.hostname}]` : e.hostname;
      return `${e.protocol ?? 'https:'}//${host}${port}${e.path ?? ''}`;
    }
    if (config.ignoreConfiguredEndpointUrls !== true && typeof config.serviceConfiguredEndpoint === 'function') {
      return await config.serviceConfiguredEndpoint();
    }
  } catch {
    return undefined; // an endpoint that does not resolve fails the upload itself, with the SDK's error
  }
  return undefined;
}
