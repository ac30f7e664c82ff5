/**
 * A local HTTP front end for a Lambda handler: it turns each HTTP request into
 * the event of a Function URL (payload v2), an API Gateway REST API (payload
 * v1) or an ALB target, runs the handler, and answers as that service would,
 * enforcing Lambda's response limit exactly: a serialized result over
 * 6,291,556 bytes (1,000,000 behind an ALB: the ELB docs say 1 MB, so the reading
 * that can never pass locally and 502 in AWS) is a 502, as in AWS. The request
 * limit too: an event whose JSON is 6,291,456 bytes or more (Lambda's synchronous
 * invocation payload quota; a body over 1,000,000 bytes behind an ALB) never reaches
 * the handler and the client gets 413, as Lambda answers
 * `RequestEntityTooLargeException` ("Request must be smaller than 6291456
 * bytes for the InvokeFunction operation"). The ALB's answer to an oversized
 * request body is not confirmed; 413 is assumed.
 *
 * The limits are written out here on purpose rather than imported from the
 * library, so the emulator checks the library instead of sharing its numbers.
 * Sources: aws-lambda-runtime-interface-emulator `MaxPayloadSize = 6*1024*1024 + 100`;
 * Elastic Load Balancing `lambda-functions.html` (1 MB); the Invoke API's
 * `RequestEntityTooLargeException` text (6291456).
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'aws-lambda';

/** The service emulated. */
export type EmulatedFrontDoor = 'function-url' | 'rest-v1' | 'alb' | 'alb-multi-value';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any handler, as Lambda calls it
export type AnyHandler = (event: any, context: Context) => Promise<unknown>;

/** What the front end saw for one invocation. */
export interface Invocation {
  /** UTF-8 bytes of the serialized result, as Lambda counts them. */
  readonly serializedBytes: number;
  /** Whether Lambda would have rejected it (and the client got 502). */
  readonly rejected: boolean;
}

/** A running front end. */
export interface FrontDoorServer {
  readonly url: string;
  /** Every invocation so far, oldest first. */
  readonly invocations: Invocation[];
  /** Requests refused with 413 before any invocation: the bytes of their event JSON. */
  readonly refusedRequests: number[];
  stop(): Promise<void>;
}

const LAMBDA_MAX = 6 * 1024 * 1024 + 100;
const ALB_MAX = 1_000_000;
const LAMBDA_REQUEST_MAX = 6 * 1024 * 1024;
const ALB_REQUEST_MAX = 1_000_000;

/**
 * Serve `handler` on 127.0.0.1 behind an emulated front door.
 *
 * @param handler - the Lambda handler (a Middy handler or a plain async function)
 * @param frontDoor - which service to emulate
 * @param timeoutMs - the function timeout that `getRemainingTimeInMillis` counts down from
 */
export async function startFrontDoor(
  handler: AnyHandler,
  frontDoor: EmulatedFrontDoor = 'function-url',
  timeoutMs = 30_000,
): Promise<FrontDoorServer> {
  const invocations: Invocation[] = [];
  const refusedRequests: number[] = [];
  const server: Server = createServer((req, res) => {
    void serve(req, res).catch((error: unknown) => {
      res.statusCode = 500;
      res.end(String(error));
    });
  });
  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const event = toEvent(req, Buffer.concat(chunks), frontDoor);
    const eventBytes = Buffer.byteLength(JSON.stringify(event), 'utf8');
    const requestMax = frontDoor.startsWith('alb') ? ALB_REQUEST_MAX : LAMBDA_REQUEST_MAX;
    // Lambda: "smaller than 6291456 bytes", so 6,291,456 itself is refused. ALB: its event JSON, a bound of the body it limits.
    if (frontDoor.startsWith('alb') ? eventBytes > requestMax : eventBytes >= requestMax) {
      refusedRequests.push(eventBytes);
      const message = `Request must be smaller than ${requestMax} bytes for the InvokeFunction operation`;
      return send(res, 413, { 'content-type': 'application/json' }, Buffer.from(JSON.stringify({ Message: message })));
    }
    const deadline = Date.now() + timeoutMs;
    const context = lambdaContext(() => deadline - Date.now());
    let result: unknown;
    try {
      result = await handler(event, context);
    } catch {
      // An unhandled error: Function URLs and API Gateway answer 502.
      return send(res, 502, { 'content-type': 'application/json' }, Buffer.from('{"Message":"Internal Server Error"}'));
    }
    const json = JSON.stringify(result === undefined ? null : result) ?? 'null';
    const serializedBytes = Buffer.byteLength(json, 'utf8');
    const max = frontDoor.startsWith('alb') ? ALB_MAX : LAMBDA_MAX;
    const rejected = serializedBytes > max;
    invocations.push({ serializedBytes, rejected });
    if (rejected) {
      return send(res, 502, { 'content-type': 'application/json' }, Buffer.from('{"Message":"Internal Server Error"}'));
    }
    // The service reads the result from its JSON, as in AWS.
    writeResult(res, JSON.parse(json), frontDoor);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    invocations,
    refusedRequests,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function toEvent(req: IncomingMessage, body: Buffer, frontDoor: EmulatedFrontDoor): Record<string, unknown> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const method = req.method ?? 'GET';
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i].toLowerCase();
    const value = req.rawHeaders[i + 1];
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
    (multiValueHeaders[name] ??= []).push(value);
  }
  const query = Object.fromEntries(url.searchParams);
  const hasBody = body.length > 0;
  const encodedBody = hasBody ? body.toString('base64') : undefined;
  if (frontDoor === 'function-url') {
    return {
      version: '2.0',
      routeKey: '$default',
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      cookies: headers.cookie?.split(/;\s*/),
      headers,
      queryStringParameters: url.search ? query : undefined,
      requestContext: {
        accountId: 'anonymous',
        apiId: 'local',
        domainName: 'local.lambda-url.us-east-1.on.aws',
        domainPrefix: 'local',
        http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
        requestId: randomUUID(),
        routeKey: '$default',
        stage: '$default',
        time: new Date().toUTCString(),
        timeEpoch: Date.now(),
      },
      body: encodedBody,
      isBase64Encoded: hasBody,
    };
  }
  if (frontDoor === 'rest-v1') {
    return {
      resource: '/{proxy+}',
      path: url.pathname,
      httpMethod: method,
      headers,
      multiValueHeaders,
      queryStringParameters: url.search ? query : null,
      multiValueQueryStringParameters: null,
      pathParameters: { proxy: url.pathname.slice(1) },
      stageVariables: null,
      requestContext: {
        accountId: '123456789012',
        apiId: 'local',
        httpMethod: method,
        path: `/test${url.pathname}`,
        stage: 'test',
        requestId: randomUUID(),
        resourcePath: '/{proxy+}',
        identity: { sourceIp: '127.0.0.1' },
      },
      body: hasBody ? encodedBody : null,
      isBase64Encoded: hasBody,
    };
  }
  const alb = {
    requestContext: { elb: { targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/local/0' } },
    httpMethod: method,
    path: url.pathname,
    body: encodedBody ?? '',
    isBase64Encoded: hasBody,
  };
  return frontDoor === 'alb-multi-value'
    ? { ...alb, multiValueQueryStringParameters: {}, multiValueHeaders }
    : { ...alb, queryStringParameters: query, headers };
}

interface AnyResult {
  statusCode?: number;
  statusDescription?: string;
  headers?: Record<string, unknown>;
  multiValueHeaders?: Record<string, unknown[]>;
  cookies?: string[];
  body?: unknown;
  isBase64Encoded?: boolean;
}

function writeResult(res: ServerResponse, parsed: unknown, frontDoor: EmulatedFrontDoor): void {
  const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  const result = parsed as AnyResult;
  if (!isObject || typeof result.statusCode !== 'number') {
    if (frontDoor === 'function-url') {
      // Payload v2: a result without statusCode is a 200 application/json body.
      const text = typeof parsed === 'string' ? parsed : JSON.stringify(parsed);
      return send(res, 200, { 'content-type': 'application/json' }, Buffer.from(text, 'utf8'));
    }
    return send(res, 502, { 'content-type': 'application/json' }, Buffer.from('{"message":"Internal server error"}'));
  }
  const headers: Record<string, string | string[]> = {};
  const useMulti = frontDoor === 'rest-v1' || frontDoor === 'alb-multi-value';
  const useSingle = frontDoor !== 'alb-multi-value';
  if (useSingle) for (const [k, v] of Object.entries(result.headers ?? {})) headers[k.toLowerCase()] = String(v);
  if (useMulti) {
    for (const [k, v] of Object.entries(result.multiValueHeaders ?? {})) headers[k.toLowerCase()] = v.map(String);
  }
  if (frontDoor === 'function-url' && result.cookies?.length) headers['set-cookie'] = result.cookies;
  if (headers['content-type'] === undefined) headers['content-type'] = 'application/json';
  const text = typeof result.body === 'string' ? result.body : '';
  const body = result.isBase64Encoded ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  send(res, result.statusCode, headers, body);
}

function send(res: ServerResponse, status: number, headers: Record<string, string | string[]>, body: Buffer): void {
  res.writeHead(status, { ...headers, 'content-length': String(body.length) });
  res.end(body);
}

function lambdaContext(remaining: () => number): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: 'local',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:local',
    memoryLimitInMB: '1024',
    awsRequestId: randomUUID(),
    logGroupName: '/aws/lambda/local',
    logStreamName: 'local',
    getRemainingTimeInMillis: remaining,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
