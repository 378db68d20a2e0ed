import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: unknown;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void;

export interface HttpTestServer {
  url: string;
  requests: RecordedRequest[];
  /** Answers the next requests in order; when the queue is empty, `fallback` answers. */
  queue: Handler[];
  fallback: Handler;
  close(): Promise<void>;
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const type = status >= 400 ? 'application/problem+json' : 'application/json';
  res.writeHead(status, { 'content-type': type, ...headers });
  res.end(JSON.stringify(body));
}

/** A real HTTP server on an ephemeral loopback port that records requests and answers from a script. */
export async function startHttpServer(): Promise<HttpTestServer> {
  const server: HttpTestServer = {
    url: '',
    requests: [],
    queue: [],
    fallback: (_req, res) =>
      json(res, 404, { code: 'NOT_FOUND', status: 404, title: 'Not found', type: 'about:blank' }),
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
  const http = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      const recorded = {
        method: req.method!,
        url: req.url!,
        headers: req.headers,
        body: raw ? JSON.parse(raw) : undefined,
      };
      server.requests.push(recorded);
      (server.queue.shift() ?? server.fallback)(recorded, res);
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  server.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  return server;
}

/** Drops the connection without an answer: the client sees a network error. */
export const hangUp: Handler = (_req, res) => {
  res.socket?.destroy();
};
