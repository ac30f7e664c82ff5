/**
 * The front doors of `lambda-s3-spill dev`: an HTTP request becomes the event
 * the service would send (Function URL, HTTP API with payload 2.0 or 1.0, REST
 * API, ALB with or without multi-value headers), and the handler's result (as
 * Lambda serialized it) becomes the HTTP answer that service would send. The
 * shapes follow shared FACTS.md "The five response shapes".
 *
 * @module dev/front-door
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isTextMediaType } from '../compression/media-types.js';

/** The service emulated. */
export type DevFrontDoor = 'function-url' | 'http-api' | 'rest-api' | 'alb';

/** A front door with its settings. */
export interface FrontDoorSettings {
  readonly frontDoor: DevFrontDoor;
  /** HTTP API payload format (`'2.0'` by default; `'1.0'` gives the REST-like v1 shape). */
  readonly payload: '1.0' | '2.0';
  /** ALB target group with multi-value headers turned on. */
  readonly multiValueHeaders: boolean;
  readonly region: string;
}

/** An HTTP answer. */
export interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

/** Whether a body of this type and coding may be passed as text (it is, when its bytes are also UTF-8). */
function textualType(contentType: string | undefined, encoding: string | undefined): boolean {
  if (encoding !== undefined && encoding !== '' && encoding !== 'identity') return false;
  return isTextMediaType(contentType);
}

/** A body is passed as text when its type is textual and its bytes are UTF-8; else base64 (`isBase64Encoded: true`). */
function textual(contentType: string | undefined, encoding: string | undefined, body: Buffer): boolean {
  if (!textualType(contentType, encoding)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return true;
  } catch {
    return false;
  }
}

/** The request's headers: lower-case names, one comma-joined value each, and every value. */
function headersOf(req: IncomingMessage): { joined: Record<string, string>; last: Record<string, string>; multi: Record<string, string[]> } {
  const joined: Record<string, string> = {};
  const last: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i].toLowerCase();
    const value = req.rawHeaders[i + 1];
    joined[name] = joined[name] === undefined ? value : `${joined[name]},${value}`;
    last[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { joined, last, multi };
}

/** Query parameters: joined (v2), last value (REST, ALB), every value. */
function queryOf(search: URLSearchParams): { joined: Record<string, string>; last: Record<string, string>; multi: Record<string, string[]> } {
  const joined: Record<string, string> = {};
  const last: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of search) {
    joined[name] = joined[name] === undefined ? value : `${joined[name]},${value}`;
    last[name] = value;
    (multi[name] ??= []).push(value);
  }
  return { joined, last, multi };
}

/**
 * For this request, the fewest bytes a body of `n` bytes adds to its event,
 * known before the body is all read: base64 (4 characters per 3 bytes) where
 * the type is not textual, else at least one byte each (JSON escapes only add,
 * and a body that is not UTF-8 goes as base64, longer still).
 */
export function bodyEventBytesAtLeast(req: IncomingMessage): (n: number) => number {
  const { last } = headersOf(req);
  return textualType(last['content-type'], last['content-encoding']) ? (n) => n : (n) => 4 * Math.ceil(n / 3);
}

/**
 * The event the front door sends for this request.
 *
 * @param req - the request (its headers, method and URL)
 * @param body - its body
 */
export function eventFor(req: IncomingMessage, body: Buffer, settings: FrontDoorSettings): Record<string, unknown> {
  const url = new URL(req.url ?? '/', 'http://127.0.0.1');
  const method = req.method ?? 'GET';
  const headers = headersOf(req);
  const query = queryOf(url.searchParams);
  const hasQuery = url.search.length > 1;
  const hasBody = body.length > 0;
  const asText = hasBody && textual(headers.last['content-type'], headers.last['content-encoding'], body);
  const bodyText = hasBody ? (asText ? body.toString('utf8') : body.toString('base64')) : undefined;
  const isBase64Encoded = hasBody && !asText;
  const now = new Date();
  const requestId = randomUUID();
  const sourceIp = req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1';
  const userAgent = headers.last['user-agent'] ?? '';
  const { frontDoor, region } = settings;

  if (frontDoor === 'function-url' || (frontDoor === 'http-api' && settings.payload === '2.0')) {
    const domainName = frontDoor === 'function-url' ? `local.lambda-url.${region}.on.aws` : `local.execute-api.${region}.amazonaws.com`;
    const { cookie, ...rest } = headers.joined;
    return {
      version: '2.0',
      routeKey: '$default',
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      ...(cookie === undefined ? {} : { cookies: cookie.split(/;\s*/) }),
      headers: rest,
      ...(hasQuery ? { queryStringParameters: query.joined } : {}),
      requestContext: {
        accountId: frontDoor === 'function-url' ? 'anonymous' : '123456789012',
        apiId: 'local',
        domainName,
        domainPrefix: 'local',
        http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp, userAgent },
        requestId,
        routeKey: '$default',
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
      },
      ...(bodyText === undefined ? {} : { body: bodyText }),
      isBase64Encoded,
    };
  }
  if (frontDoor === 'http-api' || frontDoor === 'rest-api') {
    const rest = frontDoor === 'rest-api';
    return {
      ...(rest ? {} : { version: '1.0' }),
      resource: rest ? '/{proxy+}' : '$default',
      path: url.pathname,
      httpMethod: method,
      headers: headers.last,
      multiValueHeaders: headers.multi,
      queryStringParameters: hasQuery ? query.last : null,
      multiValueQueryStringParameters: hasQuery ? query.multi : null,
      pathParameters: rest ? { proxy: url.pathname.slice(1) } : null,
      stageVariables: null,
      requestContext: {
        accountId: '123456789012',
        apiId: 'local',
        domainName: `local.execute-api.${region}.amazonaws.com`,
        domainPrefix: 'local',
        extendedRequestId: requestId,
        httpMethod: method,
        identity: { sourceIp, userAgent },
        path: rest ? `/local${url.pathname}` : url.pathname,
        protocol: 'HTTP/1.1',
        requestId,
        requestTime: now.toUTCString(),
        requestTimeEpoch: now.getTime(),
        resourceId: rest ? 'local' : '$default',
        resourcePath: rest ? '/{proxy+}' : '$default',
        stage: rest ? 'local' : '$default',
      },
      body: bodyText ?? null,
      isBase64Encoded,
    };
  }
  // ALB: query values are passed as sent (not decoded); one value per name (the last) unless multi-value is on.
  const rawQuery: Record<string, string> = {};
  const rawMultiQuery: Record<string, string[]> = {};
  for (const pair of url.search.slice(1).split('&').filter((p) => p !== '')) {
    const [name, value = ''] = pair.split('=');
    rawQuery[name] = value;
    (rawMultiQuery[name] ??= []).push(value);
  }
  const alb = {
    requestContext: { elb: { targetGroupArn: `arn:aws:elasticloadbalancing:${region}:123456789012:targetgroup/local/0123456789abcdef` } },
    httpMethod: method,
    path: url.pathname,
    body: bodyText ?? '',
    isBase64Encoded,
  };
  return settings.multiValueHeaders
    ? { ...alb, multiValueQueryStringParameters: rawMultiQuery, multiValueHeaders: headers.multi }
    : { ...alb, queryStringParameters: rawQuery, headers: headers.last };
}

interface ResultFields {
  statusCode?: unknown;
  headers?: Record<string, unknown>;
  multiValueHeaders?: Record<string, unknown>;
  cookies?: unknown;
  body?: unknown;
  isBase64Encoded?: unknown;
}

/**
 * The HTTP answer for a result, read back from the JSON Lambda serialized (as
 * the service does): `undefined` when the service would refuse its shape (502).
 *
 * @param parsed - `JSON.parse` of the serialized result
 */
export function answerFor(parsed: unknown, settings: FrontDoorSettings): Answer | undefined {
  const v2 = settings.frontDoor === 'function-url' || (settings.frontDoor === 'http-api' && settings.payload === '2.0');
  const isObject = typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed);
  const result = (isObject ? parsed : {}) as ResultFields;
  if (!isObject || result.statusCode === undefined) {
    // Payload 2.0: a result without statusCode is a 200 application/json body (a string is sent as it is).
    if (!v2) return undefined;
    const text = typeof parsed === 'string' ? parsed : JSON.stringify(parsed);
    return { status: 200, headers: { 'content-type': 'application/json' }, body: Buffer.from(text, 'utf8') };
  }
  const status = Number(result.statusCode);
  if (!Number.isInteger(status) || status < 100 || status > 599) return undefined;
  // A body that is not a string (a stream or Buffer the runtime's JSON.stringify made an object of) is refused: 502.
  if (result.body !== undefined && result.body !== null && typeof result.body !== 'string') return undefined;
  const headers: Record<string, string | string[]> = {};
  const single = !(settings.frontDoor === 'alb' && settings.multiValueHeaders);
  const multi = !v2 && (settings.frontDoor !== 'alb' || settings.multiValueHeaders);
  if (single) for (const [k, value] of Object.entries(result.headers ?? {})) headers[k.toLowerCase()] = String(value);
  if (multi) {
    for (const [k, values] of Object.entries(result.multiValueHeaders ?? {})) {
      if (Array.isArray(values)) headers[k.toLowerCase()] = values.map(String);
    }
  }
  if (v2 && Array.isArray(result.cookies) && result.cookies.length > 0) headers['set-cookie'] = result.cookies.map(String);
  if (headers['content-type'] === undefined && v2) headers['content-type'] = 'application/json';
  const text = typeof result.body === 'string' ? result.body : '';
  const body = result.isBase64Encoded === true ? Buffer.from(text, 'base64') : Buffer.from(text, 'utf8');
  return { status, headers, body };
}

/** What went wrong, as the service shows it to the client. */
export type FailureKind = 'function-error' | 'request-too-large';

const ALB_PAGE = (status: string): string =>
  `<html>\r\n<head><title>${status}</title></head>\r\n<body>\r\n<center><h1>${status}</h1></center>\r\n</body>\r\n</html>\r\n`;

/**
 * The service's own answer when the function fails (an error, a timeout, a
 * result over the limit or in the wrong shape: 502) or the request is too
 * large for Lambda (413).
 *
 * API Gateway answers a function error with 502 and `{"message": "Internal server error"}`
 * (AWS Lambda Developer Guide, "Handling Lambda errors with an API Gateway API",
 * `services-apigateway-errors.html`); an ALB with its 502 page.
 */
export function failureAnswer(kind: FailureKind, settings: FrontDoorSettings, requestMaxBytes: number): Answer {
  const json = (status: number, document: object, extra: Record<string, string> = {}): Answer => ({
    status,
    headers: { 'content-type': 'application/json', ...extra },
    body: Buffer.from(JSON.stringify(document)),
  });
  if (settings.frontDoor === 'alb') {
    const status = kind === 'request-too-large' ? '413 Request Entity Too Large' : '502 Bad Gateway';
    return { status: Number(status.slice(0, 3)), headers: { 'content-type': 'text/html' }, body: Buffer.from(ALB_PAGE(status)) };
  }
  if (kind === 'request-too-large') {
    if (settings.frontDoor === 'function-url') {
      return json(413, { Message: `Request must be smaller than ${requestMaxBytes} bytes for the InvokeFunction operation` }, {
        'x-amzn-errortype': 'RequestEntityTooLargeException',
      });
    }
    return json(413, { message: 'Request Entity Too Large' });
  }
  if (settings.frontDoor === 'function-url') return json(502, { Message: 'Internal Server Error' });
  if (settings.frontDoor === 'rest-api') {
    return json(502, { message: 'Internal server error' }, { 'x-amzn-errortype': 'InternalServerErrorException' });
  }
  return json(502, { message: 'Internal Server Error' });
}
