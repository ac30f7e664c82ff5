/**
 * A link model for the benchmark: a TCP proxy on loopback in front of the local
 * S3 that gives each connection a throughput cap and a round-trip latency, in
 * both directions, as one connection to real S3 has. Loopback never makes one
 * connection the bottleneck; this does, so multipart's parallel parts can show
 * what they buy.
 *
 * The model: each direction of each connection is a link of `bytesPerSecond`;
 * a chunk leaves when the link is free and arrives half a round trip later.
 * Figures modelled (`npm run bench` prints them): 85 MB/s per connection, the
 * Amazon S3 User Guide's "one concurrent request for each 85-90 MB/s of desired
 * network throughput" ("Performance guidelines for Amazon S3", Horizontally
 * scale storage connections); 5 ms round trip within a Region (assumed, not
 * published). Not modelled: TCP slow start, loss, TLS.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { STREAMING_BANDWIDTH_BYTES_PER_SECOND, STREAMING_BURST_BYTES } from 'lambda-s3-spill';

/** The modelled link. */
export interface Link {
  /** Throughput of one connection, each way, in bytes per second. */
  readonly bytesPerSecond: number;
  /** Round-trip time, in milliseconds. */
  readonly roundTripMs: number;
}

/** 85 MB/s per connection, 5 ms round trip (see the module comment for the sources). */
export const S3_LINK: Link = { bytesPerSecond: 85_000_000, roundTripMs: 5 };

/** A running proxy. */
export interface LinkProxy {
  /** `http://127.0.0.1:<port>`, to use as an S3 endpoint. */
  readonly endpoint: string;
  /** Connections accepted so far. */
  connections(): number;
  stop(): Promise<void>;
}

/**
 * Forward `from` to `to` through a link of the given throughput and one-way
 * delay, keeping the order: one queue and one timer per direction (timers of
 * different durations may fire out of order, which reordered chunks and
 * corrupted uploads).
 */
function shape(from: Socket, to: Socket, link: Link): void {
  let linkFreeAt = 0;
  const queue: { chunk: Buffer | undefined; at: number }[] = [];
  let timer: NodeJS.Timeout | undefined;
  const pump = (): void => {
    timer = undefined;
    const now = performance.now();
    while (queue.length > 0 && queue[0]!.at <= now) {
      const { chunk } = queue.shift()!;
      if (chunk === undefined) to.end();
      else to.write(chunk);
    }
    if (queue.length > 0) timer = setTimeout(pump, Math.max(1, queue[0]!.at - now));
  };
  const enqueue = (chunk: Buffer | undefined, at: number): void => {
    queue.push({ chunk, at });
    if (timer === undefined) timer = setTimeout(pump, Math.max(0, queue[0]!.at - performance.now()));
  };
  from.on('data', (chunk: Buffer) => {
    const now = performance.now();
    linkFreeAt = Math.max(now, linkFreeAt) + (chunk.length / link.bytesPerSecond) * 1000;
    enqueue(chunk, linkFreeAt + link.roundTripMs / 2);
  });
  from.on('end', () => enqueue(undefined, Math.max(performance.now(), linkFreeAt + link.roundTripMs / 2)));
}

/**
 * Start a proxy on 127.0.0.1 to `upstream` (a `http://127.0.0.1:<port>` endpoint).
 *
 * @param upstream - the local S3's endpoint
 * @param link - the modelled link
 */
export async function startLinkProxy(upstream: string, link: Link = S3_LINK): Promise<LinkProxy> {
  const target = new URL(upstream);
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((client) => {
    accepted++;
    const server = connect({ host: target.hostname, port: Number(target.port) });
    for (const socket of [client, server]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        server.destroy();
      });
    }
    shape(client, server, link);
    shape(server, client, link);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    connections: () => accepted,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Modelled time to the last byte of a streamed Lambda response, in seconds:
 * the first `STREAMING_BURST_BYTES` at the link's speed, the rest at
 * `STREAMING_BANDWIDTH_BYTES_PER_SECOND` (Lambda's cap on every streaming path).
 */
export function streamedSeconds(bytes: number, link: Link = S3_LINK): number {
  const burst = Math.min(bytes, STREAMING_BURST_BYTES);
  return burst / link.bytesPerSecond + Math.max(0, bytes - STREAMING_BURST_BYTES) / STREAMING_BANDWIDTH_BYTES_PER_SECOND;
}
