/**
 * This instance as one of several on one PostgreSQL: it serves the accounts whose lease it holds and
 * relays the rest to their owners — WebSocket upgrades (after checking the token here, so a refused
 * request takes no lease) and HTTP requests about an account. Only the owner checks updates, runs
 * commands and the scheduler for an account, and every commit it makes is fenced.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { authenticate, tokenFromRequest } from '../auth.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../storage/types.ts';
import { defaultLeaseTiming, NotOwnerError, Ownership } from './ownership.ts';
import { RELAYED_BY, relayHttp, relayUpgrade } from './relay.ts';

export interface ClusterConfig {
  /** Where the other instances reach this one (INSTANCE_URL); defaults to the address it listens on. */
  url?: string;
  /** Lease length (LEASE_TTL_MS, default 10 s): a dead owner's accounts are taken over within it. */
  leaseTtlMs?: number;
  /** Lease renewal period (default a third of the lease). */
  leaseRenewMs?: number;
  /** This instance's name in the lease table (default: host, pid and a random part). */
  instanceId?: string;
}

export interface ClusterNode {
  readonly ownership: Ownership;
  /** The store a room of `accountId` uses (takes the lease on load; fenced writes). */
  storeFor(accountId: string): Store;
  /** Relays the upgrade when another instance owns the account; false: serve it here. */
  routeUpgrade(accountId: string, req: IncomingMessage, socket: Duplex, head: Buffer): Promise<boolean>;
  /** Proxies an /api request about an account another instance owns; false: answer it here. */
  routeHttp(req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean>;
  /** Whether this instance may run the scheduler for the account now (it owns it, or nobody does). */
  mayServe(accountId: string): Promise<boolean>;
  start(): void;
  stop(): Promise<void>;
}

const ACCOUNT_PATH = /^\/api\/accounts\/([^/]+)(?:\/|$)/;

function unavailable(socket: Duplex, code: string, message: string): void {
  if (socket.destroyed) return;
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
}

export function createClusterNode(deps: {
  store: Store;
  /** This instance's address as the others reach it (known once it listens). */
  url: () => string;
  config: ClusterConfig;
  log: Logger;
  /** Stop serving the account now (its lease was lost). */
  evict(accountId: string): void;
}): ClusterNode {
  const { store, log } = deps;
  if (!store.leases) throw new Error('Several instances need a shared store with leases: set DATABASE_URL=postgres://….');
  const ttlMs = deps.config.leaseTtlMs ?? defaultLeaseTiming.ttlMs;
  const renewMs = deps.config.leaseRenewMs ?? Math.max(50, Math.floor(ttlMs / 3));
  const ownership = new Ownership(
    store.leases,
    { url: deps.url, ttlMs, renewMs, ...(deps.config.instanceId && { id: deps.config.instanceId }) },
    log,
    deps.evict,
  );

  async function accountOfRequest(req: IncomingMessage, url: URL): Promise<string | undefined> {
    const match = ACCOUNT_PATH.exec(url.pathname);
    if (match) {
      try {
        return decodeURIComponent(match[1]!);
      } catch {
        return undefined;
      }
    }
    if (url.pathname === '/api/health' || url.pathname === '/api/me') return undefined;
    // Other routes (the REST API, whose path may name a managed account) are about the caller's account;
    // REST callers may send the token as Basic credentials.
    return (await authenticate(store.accounts, tokenFromRequest(req, url, { allowQuery: false, allowBasic: true })))?.accountId;
  }

  return {
    ownership,
    storeFor: (accountId) => ownership.storeFor(accountId, store),
    async routeUpgrade(accountId, req, socket, head) {
      if (ownership.holds(accountId)) return false;
      const placement = await ownership.place(accountId);
      if (placement.local) return false;
      if (req.headers[RELAYED_BY]) {
        unavailable(socket, 'MOVED', 'The account moved between servers; reconnect.');
        return true;
      }
      relayUpgrade(req, socket, head, placement.holder.ownerUrl, ownership.id, (error) => {
        log.warn(`Relaying account ${accountId} to ${placement.holder.ownerUrl} failed: ${error.message}`);
        unavailable(socket, 'OWNER_UNREACHABLE', 'The server holding this account is not reachable; reconnect shortly.');
      });
      return true;
    },
    async routeHttp(req, res, url) {
      if (req.headers[RELAYED_BY]) return false;
      const accountId = await accountOfRequest(req, url);
      if (accountId === undefined) return false;
      const holder = await ownership.remoteHolder(accountId);
      if (!holder) return false;
      relayHttp(req, res, holder.ownerUrl, ownership.id, (error) => {
        log.warn(`Relaying ${req.method} ${url.pathname} to ${holder.ownerUrl} failed: ${error.message}`);
        const body = JSON.stringify({
          error: { code: 'OWNER_UNREACHABLE', message: 'The server holding this account is not reachable; try again shortly.' },
        });
        res.writeHead(503, { 'Content-Type': 'application/json; charset=utf-8', 'Retry-After': '1' }).end(body);
      });
      return true;
    },
    mayServe: async (accountId) => !(await ownership.remoteHolder(accountId)),
    start: () => ownership.start(),
    stop: () => ownership.stop(),
  };
}

export { NotOwnerError };
