import { createServer } from 'node:https';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { applyFault } from './faults.js';
import type { FaultInjector } from './faults.js';
import type { EmulatorUrls } from './context.js';
import type { ServiceName } from './scenario.js';

/** One request as the emulator saw and answered it. */
export interface RequestLogEntry {
  service: ServiceName;
  method: string;
  /** The path exactly as sent, without the query string (so `//` stays visible). */
  path: string;
  /** Decoded query parameters; the first wins when one repeats. */
  query: Record<string, string>;
  /** What the emulator answered; 0 when the connection was reset or stalled. */
  status: number;
  /** Milliseconds since the emulator started (performance.now based). */
  at: number;
  /** When the answer was written, on the same clock as `at`; absent when none was (reset, stall). */
  answeredAt?: number;
  /**
   * For the first request on a connection, when the client opened that connection, on the same clock: the moment it
   * set out to send the request. Requests sent side by side arrive one after another when their TLS handshakes
   * queue for the same processor; this tells them from requests sent one after another.
   */
  connectedAt?: number;
  /** The raw bearer token presented, if any. */
  bearer?: string;
  /** The User-Agent header, if any. */
  userAgent?: string;
  /** The `oid` the presented token resolved to, if it was valid. */
  principalId?: string;
  /** The injected fault kind (`replay` for a replayed recording), if one applied. */
  fault?: string;
}

export interface ServiceRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
  bearer?: string;
  /** The log entry of this request; handlers fill in `principalId`. */
  log: RequestLogEntry;
}

export interface ServiceReply {
  status: number;
  headers?: Record<string, string>;
  /** Serialized as the JSON body. */
  json?: unknown;
}

export type ServiceHandler = (request: ServiceRequest) => ServiceReply | Promise<ServiceReply>;

export interface ServiceHost {
  url: string;
  /** Handlers need every service's URL, which exists only once every host listens; hence attached late. */
  setHandler(handler: ServiceHandler): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1024 * 1024;

/** Listens on a fresh 127.0.0.1 port for one emulated service: logging, fault injection, JSON replies. */
export async function startServiceHost(options: {
  service: ServiceName;
  tls: { key: string; cert: string };
  faults: FaultInjector;
  record: (entry: RequestLogEntry) => void;
  elapsedMs: () => number;
  /** Every service's URL, known once all hosts listen: a replayed ARM page links to the emulated ARM. */
  urls: () => EmulatorUrls;
  /** A fixed port (443 for a client that drops ports from URLs); default: any free one. */
  port?: number;
}): Promise<ServiceHost> {
  const { service, faults } = options;
  let handler: ServiceHandler | undefined;

  const server = createServer({ key: options.tls.key, cert: options.tls.cert }, (req, res) => {
    void serve(req, res);
  });
  // The TCP sockets under the TLS ones, by client address: a TLS socket cannot send a RST itself.
  const tcpSockets = new Map<string, Socket>();
  // When each connection opened, until its first request arrives.
  const opened = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const key = `${socket.remoteAddress}:${socket.remotePort}`;
    tcpSockets.set(key, socket);
    opened.set(key, options.elapsedMs());
    socket.once('close', () => {
      tcpSockets.delete(key);
      opened.delete(key);
    });
  });
  const resetConnection = (req: IncomingMessage) => () => {
    const tcp = tcpSockets.get(`${req.socket.remoteAddress}:${req.socket.remotePort}`);
    if (tcp) tcp.resetAndDestroy();
    else req.socket.destroy();
  };

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = req.method ?? 'GET';
    const { path, query } = splitUrl(req.url ?? '/');
    const bearer = bearerOf(req.headers.authorization);
    const userAgent = req.headers['user-agent'];
    const connection = `${req.socket.remoteAddress}:${req.socket.remotePort}`;
    const connectedAt = opened.get(connection);
    opened.delete(connection);
    const log: RequestLogEntry = {
      service,
      method,
      path,
      query,
      status: 0,
      at: options.elapsedMs(),
      ...(connectedAt !== undefined ? { connectedAt } : {}),
      ...(bearer !== undefined ? { bearer } : {}),
      ...(userAgent !== undefined ? { userAgent } : {}),
    };
    options.record(log);

    let reply: ServiceReply;
    try {
      // Read first: a fault or replay may be aimed at one kind of token request, told apart by its body.
      const body = await readBody(req);
      const fault = faults.take(service, method, path, body?.toString('utf8') ?? '');
      if (fault) {
        log.fault = fault.fault.kind;
        log.status = applyFault(fault, service, res, resetConnection(req), options.urls(), bearer);
        if (log.status !== 0) log.answeredAt = options.elapsedMs();
        return;
      }
      if (body === undefined) {
        reply = { status: 413, json: { error: { code: 'RequestEntityTooLarge', message: `The request body exceeds ${MAX_BODY_BYTES} bytes.` } } };
      } else if (!handler) {
        reply = { status: 503, json: { error: { code: 'EmulatorStarting', message: 'The emulator is still starting.' } } };
      } else {
        reply = await handler({ method, path, query, headers: req.headers, body, ...(bearer !== undefined ? { bearer } : {}), log });
      }
    } catch (error) {
      // A handler bug must be loud in test output, not look like a service answer.
      console.error(`[emulator:${service}] ${method} ${path} failed:`, error);
      reply = { status: 500, json: { error: { code: 'EmulatorInternalError', message: String(error) } } };
    }
    if (res.destroyed) return;
    const text = reply.json === undefined ? '' : JSON.stringify(reply.json);
    const headers: Record<string, string> = { ...reply.headers, 'content-length': String(Buffer.byteLength(text)) };
    if (reply.json !== undefined) headers['content-type'] ??= 'application/json; charset=utf-8';
    log.status = reply.status;
    res.writeHead(reply.status, headers).end(text);
    log.answeredAt = options.elapsedMs();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `https://127.0.0.1:${port}`,
    setHandler(h) {
      handler = h;
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Stalled and keep-alive connections would otherwise hold close() open forever.
        server.closeAllConnections();
      });
    },
  };
}

/** Splits by hand: `new URL()` would read a path starting with `//` as a host name. */
function splitUrl(url: string): { path: string; query: Record<string, string> } {
  const mark = url.indexOf('?');
  const path = mark < 0 ? url : url.slice(0, mark);
  const query: Record<string, string> = {};
  if (mark >= 0) {
    for (const [key, value] of new URLSearchParams(url.slice(mark + 1))) {
      if (!Object.hasOwn(query, key) && key !== '__proto__') query[key] = value;
    }
  }
  return { path, query };
}

function bearerOf(authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match?.[1];
}

async function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) return undefined;
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}
