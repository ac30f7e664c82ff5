/** The cache tests' rig: events of every front door with a path, query and headers; both doors; a client that records commands. */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import middy from '@middy/core';
import { s3Spill, type S3SpillOptions, withS3Spill } from 'lambda-s3-spill';
import { s3Cache, type S3CacheOptions, withS3Cache } from 'lambda-s3-spill/cache';
import { context } from '../support/events.js';

export type Kind = 'rest-v1' | 'http-v1' | 'http-v2' | 'function-url' | 'alb' | 'alb-multi-value';
export const KINDS: Kind[] = ['rest-v1', 'http-v1', 'http-v2', 'function-url', 'alb', 'alb-multi-value'];

export interface RequestSpec {
  readonly method?: string;
  readonly path?: string;
  /** Raw query, e.g. `a=1&b=2`. */
  readonly query?: string;
  readonly headers?: Record<string, string>;
}

/** An event of `kind` as the service sends it (the fields the cache reads). */
export function cacheEvent(kind: Kind, spec: RequestSpec = {}): Record<string, unknown> {
  const method = spec.method ?? 'GET';
  const path = spec.path ?? '/items';
  const query = spec.query ?? '';
  const pairs = query === '' ? [] : query.split('&').map((p) => p.split('=') as [string, string]);
  const headers = spec.headers ?? {};
  const multi = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]]));
  const decodedMulti = (): Record<string, string[]> | null => {
    if (pairs.length === 0) return null;
    const out: Record<string, string[]> = {};
    for (const [k, v] of pairs) (out[decodeURIComponent(k)] ??= []).push(decodeURIComponent(v ?? ''));
    return out;
  };
  switch (kind) {
    case 'rest-v1':
    case 'http-v1':
      return {
        ...(kind === 'http-v1' ? { version: '1.0' } : {}),
        resource: path,
        path,
        httpMethod: method,
        headers,
        multiValueHeaders: multi,
        multiValueQueryStringParameters: decodedMulti(),
        requestContext: { httpMethod: method, stage: 'prod', requestTimeEpoch: Date.now() },
      };
    case 'http-v2':
    case 'function-url':
      return {
        version: '2.0',
        rawPath: path,
        rawQueryString: query,
        headers: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v])),
        requestContext: {
          domainName: kind === 'function-url' ? 'abc.lambda-url.us-east-1.on.aws' : 'abc.execute-api.us-east-1.amazonaws.com',
          http: { method, path },
          timeEpoch: Date.now(),
        },
      };
    case 'alb': {
      const q: Record<string, string> = {};
      for (const [k, v] of pairs) q[k] = v ?? '';
      return { requestContext: { elb: { targetGroupArn: 'arn' } }, httpMethod: method, path, queryStringParameters: q, headers };
    }
    case 'alb-multi-value': {
      const q: Record<string, string[]> = {};
      for (const [k, v] of pairs) (q[k] ??= []).push(v ?? '');
      return { requestContext: { elb: { targetGroupArn: 'arn' } }, httpMethod: method, path, multiValueQueryStringParameters: q, multiValueHeaders: multi };
    }
  }
}

/** A client's view of an answer: one lower-case header map. */
export interface Seen {
  status: number;
  headers: Record<string, string>;
  body: string;
  isBase64Encoded: boolean;
}

export function seen(raw: unknown): Seen {
  const r = raw as { statusCode: number; headers?: Record<string, unknown>; multiValueHeaders?: Record<string, unknown[]>; body?: string; isBase64Encoded?: boolean };
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(r.headers ?? {})) headers[k.toLowerCase()] = String(v);
  for (const [k, v] of Object.entries(r.multiValueHeaders ?? {})) headers[k.toLowerCase()] = v.map(String).join(', ');
  return { status: r.statusCode, headers, body: r.body ?? '', isBase64Encoded: r.isBase64Encoded ?? false };
}

export type Door = 'middy' | 'wrapper';
export const DOORS: Door[] = ['middy', 'wrapper'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any event
type Handler = (event: any) => Promise<unknown>;

/** The handler behind a door: `s3Spill` then `s3Cache` (Middy), or `withS3Spill(withS3Cache(...))`; `spill: false` leaves out s3Spill. */
export function behind(
  door: Door,
  handler: Handler,
  cache: S3CacheOptions,
  spill?: S3SpillOptions,
  ctx: Context = context,
): (event: unknown) => Promise<unknown> {
  if (door === 'middy') {
    const m = middy(handler);
    if (spill !== undefined) m.use(s3Spill(spill));
    m.use(s3Cache(cache));
    return (event) => m(event, ctx);
  }
  const cached = withS3Cache(async (event: unknown) => handler(event), cache);
  const wrapped = spill === undefined ? cached : withS3Spill(cached, spill);
  return (event) => wrapped(event, ctx);
}

/** A client that records the name of every command it sends (presigning still works: it is the same client underneath). */
export function recording(client: S3Client): { client: S3Client; commands: string[] } {
  const commands: string[] = [];
  const wrapped = Object.create(client) as S3Client;
  Object.defineProperty(wrapped, 'send', {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- forwards send's overloads
    value: (command: any, options?: any) => {
      commands.push(command.constructor.name.replace(/Command$/, ''));
      return client.send(command, options);
    },
  });
  return { client: wrapped, commands };
}

export const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
