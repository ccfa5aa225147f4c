/**
 * Relaying to the owner of an account. A WebSocket upgrade is passed on byte for byte: the
 * request as it came, then a raw TCP pipe both ways, so the owner authenticates, checks, stores and
 * answers exactly as for a direct client (close codes, `stored` messages and all). When either side
 * goes away the other is closed too, never left open: the client reconnects and resyncs, so nothing
 * depends on a message between instances arriving (the lesson of Hocuspocus's lossy Redis pub/sub).
 * HTTP requests are proxied the same way, one request at a time.
 */
import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** Set on a relayed request: the receiving instance must serve it, never relay it again. */
export const RELAYED_BY = 'x-ipack-relayed-by';

const CONNECT_TIMEOUT_MS = 2_000;

function targetOf(url: string): { host: string; port: number } {
  const target = new URL(url);
  return { host: target.hostname.replace(/^\[|\]$/g, ''), port: Number(target.port || 80) };
}

function requestHead(req: IncomingMessage, relayedBy: string): string {
  const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1`];
  for (let i = 0; i < req.rawHeaders.length; i += 2)
    if (req.rawHeaders[i]!.toLowerCase() !== RELAYED_BY) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
  lines.push(`${RELAYED_BY}: ${relayedBy}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/**
 * Pipes an upgrade request to `ownerUrl`. `unreachable` is called (and nothing was sent to the
 * client) when the owner cannot be reached; after that, a failure on either side closes both.
 */
export function relayUpgrade(
  req: IncomingMessage,
  client: Duplex,
  head: Buffer,
  ownerUrl: string,
  relayedBy: string,
  unreachable: (error: Error) => void,
): void {
  const upstream: Socket = connect(targetOf(ownerUrl));
  let connected = false;
  upstream.setNoDelay(true);
  (client as Socket).setNoDelay?.(true);
  const connectTimer = setTimeout(
    () => upstream.destroy(new Error(`${ownerUrl} did not accept within ${CONNECT_TIMEOUT_MS} ms.`)),
    CONNECT_TIMEOUT_MS,
  );
  upstream.once('close', () => clearTimeout(connectTimer));
  upstream.once('connect', () => {
    connected = true;
    clearTimeout(connectTimer);
    upstream.write(requestHead(req, relayedBy));
    if (head.byteLength > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
  upstream.on('error', (error) => {
    if (!connected) unreachable(error);
    else client.destroy();
  });
  upstream.once('close', () => {
    if (connected) client.destroy();
  });
  client.on('error', () => upstream.destroy());
  client.once('close', () => upstream.destroy());
}

/** Proxies one HTTP request to `ownerUrl`; `unreachable` answers when the owner cannot be reached. */
export function relayHttp(
  req: IncomingMessage,
  res: ServerResponse,
  ownerUrl: string,
  relayedBy: string,
  unreachable: (error: Error) => void,
): void {
  const { host, port } = targetOf(ownerUrl);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined && name !== RELAYED_BY) headers[name] = value;
  headers[RELAYED_BY] = relayedBy;
  const upstream = httpRequest({ host, port, method: req.method, path: req.url, headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
    answer.pipe(res);
    answer.on('error', () => res.destroy());
  });
  let answered = false;
  upstream.on('response', () => (answered = true));
  // Only connecting is timed: a long command may take a while to answer.
  const connectTimer = setTimeout(
    () => upstream.destroy(new Error(`${ownerUrl} did not accept within ${CONNECT_TIMEOUT_MS} ms.`)),
    CONNECT_TIMEOUT_MS,
  );
  upstream.on('socket', (socket) => {
    if (!socket.connecting) clearTimeout(connectTimer);
    else socket.once('connect', () => clearTimeout(connectTimer));
  });
  upstream.on('close', () => clearTimeout(connectTimer));
  upstream.on('error', (error) => {
    if (!answered && !res.headersSent) unreachable(error);
    else res.destroy();
  });
  req.pipe(upstream);
  req.on('error', () => upstream.destroy());
}
