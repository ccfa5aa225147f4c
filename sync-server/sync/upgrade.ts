/**
 * The WebSocket endpoint `/sync/<accountId>`: authenticates during the HTTP upgrade (401 bad or
 * missing token, 403 another account's token or a managed-account user, 503 over a connection
 * cap: per account, per person, viewers' share) so that no document is loaded for a refused
 * request, then hands the socket to its room.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { PROTOCOL_VERSION, CloseCode } from '../../shared/protocol.ts';
import { authenticate, decideAccess, type Session, tokenFromRequest } from '../auth.ts';
import { requestUrl } from '../http/request-url.ts';
import type { Limits } from '../config.ts';
import type { Logger } from '../log.ts';
import type { AccountStore } from '../storage/types.ts';
import { ConnectionSlots } from './connection-slots.ts';
import type { Rooms } from './rooms.ts';

export const SYNC_PATH = '/sync';
const ACCOUNT_ID = /^[A-Za-z0-9_.-]{1,100}$/;

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  503: 'Service Unavailable',
};

function refuse(socket: Duplex, status: number, code: string, message: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

export interface SyncEndpoint {
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Pings every socket; one that did not answer the previous ping is dropped. */
  heartbeat(): void;
  /** Waits (up to `graceMs`) for sockets already sent a close frame, then drops the rest. */
  close(graceMs?: number): Promise<void>;
}

export interface SyncEndpointDeps {
  rooms: Rooms;
  accounts: AccountStore;
  limits: Limits;
  log: Logger;
  /** Several instances: passes an authenticated upgrade on to the account's owner; true when it did. */
  relay?(accountId: string, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<boolean>;
}

export function createSyncEndpoint(deps: SyncEndpointDeps): SyncEndpoint {
  const { rooms, accounts, limits, log } = deps;
  const wss = new WebSocketServer({ noServer: true, maxPayload: limits.maxMessageBytes, perMessageDeflate: false });
  const alive = new WeakMap<WebSocket, boolean>();
  const slots = new ConnectionSlots(limits);
  let pendingUpgrades = 0;

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const url = requestUrl(req);
    // One log line per refused upgrade, as for an HTTP request: the path, never the query (a token).
    const refused = (status: number, code: string, message: string) => {
      log.info(`Upgrade to ${url?.pathname ?? '(no URL)'} refused: ${status} ${code}.`, { path: url?.pathname, status, code });
      refuse(socket, status, code, message);
    };
    if (!url) return refused(400, 'BAD_REQUEST', 'The request target is not a URL.');
    const match = /^\/sync\/([^/]+)\/?$/.exec(url.pathname);
    let accountId: string | undefined;
    try {
      accountId = match ? decodeURIComponent(match[1]!) : undefined;
    } catch {
      accountId = undefined;
    }
    if (!accountId || !ACCOUNT_ID.test(accountId)) return refused(404, 'NOT_FOUND', 'Connect to /sync/<accountId>.');
    if (pendingUpgrades >= limits.maxPendingUpgrades) return refused(503, 'BUSY', 'Too many connections are being opened; try again.');
    pendingUpgrades++;
    let session: Session | undefined;
    try {
      session = await authenticate(accounts, tokenFromRequest(req, url, { allowQuery: true }));
    } finally {
      pendingUpgrades--;
    }
    const decision = decideAccess(session, accountId, ['admin', 'viewer']);
    if (!decision.ok) {
      const message = session?.role === 'managed' ? 'Managed-account users use the HTTP API, not /sync.' : decision.message;
      return refused(decision.status, decision.code, message);
    }
    const { session: who } = decision;
    // Several instances: another instance serving the account takes the connection (and counts its slots).
    if (deps.relay && (await deps.relay(accountId, req, socket, head))) return;
    if (socket.destroyed) return;
    const slot = slots.take(who);
    if (!slot.ok) return refused(503, 'TOO_MANY_CONNECTIONS', slot.message);
    socket.once('close', slot.release);
    const proto = url.searchParams.get('proto') === PROTOCOL_VERSION;
    const id = accountId;
    wss.handleUpgrade(req, socket, head, (ws) => {
      ws.binaryType = 'nodebuffer';
      alive.set(ws, true);
      const connection = rooms.connect(id, ws, who, proto);
      const fields = { connectionId: connection.id, accountId: id, personId: who.personId };
      log.info(`Connection ${connection.id} opened: account ${id}, ${who.role} ${who.personId}${proto ? ', proto 1' : ''}.`, fields);
      ws.on('pong', () => alive.set(ws, true));
      ws.on('message', (data: Buffer, isBinary: boolean) => {
        if (connection.closed) return;
        if (!isBinary) return connection.close(CloseCode.unsupportedData, 'Frames must be binary.');
        if (data.byteLength > connection.maxFrameBytes)
          return connection.close(CloseCode.messageTooBig, `Frames are limited to ${connection.maxFrameBytes} bytes at this point.`);
        connection.throttle();
        rooms.receive(id, connection, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      });
      ws.on('error', (error) => log.warn(`Connection ${connection.id}: ${error.message}`, fields));
      ws.on('close', (code) => {
        rooms.disconnect(id, connection);
        log.info(`Connection ${connection.id} closed (${code}).`, fields);
      });
    });
  }

  return {
    handleUpgrade(req, socket, head) {
      socket.on('error', () => socket.destroy());
      upgrade(req, socket, head).catch((error: unknown) => {
        log.error(`Upgrade failed: ${String(error)}`);
        refuse(socket, 503, 'UNAVAILABLE', 'The server could not open this connection.');
      });
    },
    heartbeat() {
      for (const ws of wss.clients) {
        if (alive.get(ws) === false) {
          ws.terminate();
          continue;
        }
        alive.set(ws, false);
        ws.ping();
      }
    },
    async close(graceMs = 1000) {
      const open = [...wss.clients].filter((ws) => ws.readyState !== ws.CLOSED);
      await Promise.race([
        Promise.all(
          open.map((ws) => new Promise<void>((resolve) => (ws.readyState === ws.CLOSED ? resolve() : ws.once('close', () => resolve())))),
        ),
        new Promise<void>((resolve) => setTimeout(resolve, graceMs).unref()),
      ]);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
