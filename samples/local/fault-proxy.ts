/**
 * A fault-injecting proxy in front of the local S3, on loopback only: each
 * request is passed through, answered with an S3 error, stalled, or has its
 * connection reset, as a plan decides. Every request is recorded, so a test can
 * count the SDK's attempts; every connection is tracked, so a test can see that
 * the client let go of them.
 *
 * Used by the fault tests (`tests/faults`) and the security tests. Nothing
 * leaves the machine: it listens on 127.0.0.1 and forwards to a 127.0.0.1 upstream.
 */
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** What the proxy does with one request. */
export type FaultAction =
  /** Forward to the upstream S3 and relay its answer. */
  | { readonly kind: 'pass' }
  /** Read the request, then answer with an S3 XML error (as S3 does: `<Error><Code>...`). */
  | {
      readonly kind: 'error';
      readonly status: number;
      readonly code: string;
      readonly message?: string;
      /** Extra XML elements inside `<Error>` (S3 echoes e.g. `<StringToSign>`, `<Token-0>`). */
      readonly extraXml?: string;
      /** Wait this long before answering, in milliseconds. */
      readonly delayMs?: number;
    }
  /** Accept the request and never answer (the connection stays open until the client or `stop()` closes it). */
  | { readonly kind: 'stall' }
  /** Forward the headers and the first `bytes` of the body upstream, then stall both sides. */
  | { readonly kind: 'stall-after'; readonly bytes: number }
  /** Reset the TCP connection as soon as the request arrives (the client sees ECONNRESET). */
  | { readonly kind: 'reset' }
  /**
   * Forward to the upstream S3 no faster than `bytesPerSecond` of request body
   * (reading is paused in between, so the client feels it): a link slower than
   * loopback, where an upload takes long enough to be watched or cut.
   */
  | { readonly kind: 'throttle'; readonly bytesPerSecond: number };

/** A request the proxy saw. */
export interface SeenRequest {
  readonly method: string;
  /** Path without the query, e.g. `/bucket/spill/key`. */
  readonly path: string;
  /** The query string without `?` (e.g. `uploadId=...&partNumber=2`). */
  readonly query: string;
  /** What the plan decided. */
  readonly action: FaultAction['kind'];
}

/** A request the proxy saw, and what became of its body. */
export interface ProxiedRequest extends SeenRequest {
  /** Bytes of the request body received so far. */
  readonly bodyBytes: number;
  /** Whether the whole body arrived (the request's end). */
  readonly bodyEnded: boolean;
  /** Whether the request is over (answered, or the client went away). */
  readonly closed: boolean;
}

/** Decides the fate of request number `index` (0-based, in arrival order). */
export type FaultPlan = (request: Omit<SeenRequest, 'action'>, index: number) => FaultAction;

/** A running proxy. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: give it to an S3Client as its endpoint. */
  readonly endpoint: string;
  /** Every request so far, oldest first, with what became of its body. */
  readonly requests: ProxiedRequest[];
  /** Connections from clients that are open now. */
  openConnections(): number;
  /** Connections of stalled requests that the client has not closed yet. */
  stalledConnections(): number;
  /** Replace the plan (requests already in flight keep their fate). */
  setPlan(plan: FaultPlan): void;
  /** Close every connection and stop listening. */
  stop(): Promise<void>;
}

/** Pass everything through. */
export const passAll: FaultPlan = () => ({ kind: 'pass' });

/**
 * Start a proxy on 127.0.0.1 in front of `upstream` (an `http://127.0.0.1:<port>` S3).
 *
 * @param upstream - the local S3 endpoint
 * @param plan - what to do with each request; default: pass everything
 */
export async function startFaultProxy(upstream: string, plan: FaultPlan = passAll): Promise<FaultProxy> {
  const target = new URL(upstream);
  if (target.hostname !== '127.0.0.1' && target.hostname !== 'localhost') {
    throw new Error('The fault proxy forwards to loopback only');
  }
  let currentPlan = plan;
  const requests: { -readonly [K in keyof ProxiedRequest]: ProxiedRequest[K] }[] = [];
  const sockets = new Set<Socket>();
  const upstreamSockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const stalled = new Set<Socket>();
  const trackStalled = (socket: Socket): void => {
    if (socket.destroyed) return;
    stalled.add(socket);
    socket.once('close', () => stalled.delete(socket));
  };

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://proxy');
    const seen = { method: req.method ?? 'GET', path: url.pathname, query: url.search.slice(1) };
    const action = currentPlan(seen, requests.length);
    const record = { ...seen, action: action.kind, bodyBytes: 0, bodyEnded: false, closed: false };
    requests.push(record);
    req.on('data', (chunk: Buffer) => {
      record.bodyBytes += chunk.length;
    });
    req.on('end', () => {
      record.bodyEnded = true;
    });
    req.on('close', () => {
      record.closed = true;
    });
    switch (action.kind) {
      case 'pass':
        return forward(req, res, undefined);
      case 'throttle':
        return forward(req, res, undefined, action.bytesPerSecond);
      case 'error':
        return answerError(req, res, action);
      case 'stall':
        trackStalled(req.socket);
        req.resume(); // read and drop the body, answer nothing
        return;
      case 'stall-after':
        trackStalled(req.socket);
        return forward(req, res, action.bytes);
      case 'reset':
        req.socket.resetAndDestroy();
        return;
    }
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  // A client that gives up resets its side; that is expected here.
  server.on('clientError', (_error, socket) => socket.destroy());

  function forward(req: IncomingMessage, res: ServerResponse, stallAfter: number | undefined, bytesPerSecond?: number): void {
    const out = httpRequest({
      host: target.hostname,
      port: target.port,
      method: req.method,
      path: req.url,
      headers: req.headers,
    });
    out.on('socket', (socket) => {
      upstreamSockets.add(socket);
      socket.on('close', () => upstreamSockets.delete(socket));
    });
    out.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', () => res.destroy());
    res.on('close', () => {
      // The client went away before the answer: drop the upstream request too.
      if (!res.writableFinished) out.destroy();
    });
    if (bytesPerSecond !== undefined) {
      const started = Date.now();
      let forwarded = 0;
      req.on('data', (chunk: Buffer) => {
        out.write(chunk);
        forwarded += chunk.length;
        const wait = started + (forwarded / bytesPerSecond) * 1000 - Date.now();
        if (wait <= 0) return;
        req.pause();
        const timer = setTimeout(() => {
          timers.delete(timer);
          req.resume();
        }, wait);
        timers.add(timer);
      });
      req.on('end', () => out.end());
      return;
    }
    if (stallAfter === undefined) {
      req.pipe(out);
      return;
    }
    let sent = 0;
    req.on('data', (chunk: Buffer) => {
      if (sent >= stallAfter) return;
      const part = chunk.subarray(0, stallAfter - sent);
      sent += part.length;
      out.write(part);
    });
  }

  function answerError(req: IncomingMessage, res: ServerResponse, action: Extract<FaultAction, { kind: 'error' }>): void {
    req.resume();
    req.on('end', () => {
      const send = (): void => {
        const xml =
          '<?xml version="1.0" encoding="UTF-8"?>\n<Error>' +
          `<Code>${action.code}</Code><Message>${action.message ?? action.code}</Message>` +
          (action.extraXml ?? '') +
          '<RequestId>FAULTPROXY0000001</RequestId><HostId>fault-proxy</HostId></Error>';
        res.writeHead(action.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
        res.end(xml);
      };
      if (!action.delayMs) return send();
      const timer = setTimeout(() => {
        timers.delete(timer);
        send();
      }, action.delayMs);
      timers.add(timer);
    });
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    openConnections: () => sockets.size,
    stalledConnections: () => stalled.size,
    setPlan(next) {
      currentPlan = next;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        for (const socket of [...sockets, ...upstreamSockets]) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/**
 * A loopback endpoint where nothing listens: connections are refused (ECONNREFUSED).
 * The port was free a moment ago; nothing else on a test machine takes it in between.
 */
export async function refusedEndpoint(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
