/**
 * The sync server: one HTTP server for the built PWA (staticDir), the HTTP API under /api and the
 * WebSocket endpoint /sync/<accountId>. Everything it needs is passed in; nothing is read from the
 * environment here (main.ts does that).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CloseCode } from '../shared/protocol.ts';
import { executeCommand as realExecuteCommand } from './commands/execute.ts';
import { defaultLimits, defaultRoomOptions, systemClock, type Clock, type Limits, type RoomOptions } from './config.ts';
import { createHttpApp } from './http/app.ts';
import type { AnyRoute } from './http/route.ts';
import { apiRoutes } from './http/routes.ts';
import { requestUrl } from './http/request-url.ts';
import { createStaticHandler } from './http/static.ts';
import { migrateStoredAccounts } from './records/migrate.ts';
import { createScheduler, type Scheduler, type SchedulerOptions } from './scheduler.ts';
import { consoleLogger, quietLogger, type Logger } from './log.ts';
import { healthRoutes } from './ops/health.ts';
import { createMetrics, instrumentStore, measureStoredAccounts, type MetricsOptions, type ServerMetrics } from './ops/metrics.ts';
import { createRequestLog } from './ops/request-log.ts';
import { watchSchedule } from './ops/schedule-watch.ts';
import { createClusterNode, NotOwnerError, type ClusterConfig, type ClusterNode } from './cluster/node.ts';
import { databaseFile, openStore } from './storage/open-store.ts';
import type { Store } from './storage/types.ts';
import type { CommandExecutor } from './commands/path.ts';
import { Rooms } from './sync/rooms.ts';
import { createSyncEndpoint } from './sync/upgrade.ts';

export interface SyncServerConfig {
  /** 0 picks a free port (tests). */
  port: number;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Where the SQLite file (sync.db) lives. */
  dataDir: string;
  clock?: Clock;
  /** The built PWA (dist/); without it only /api and /sync answer. */
  staticDir?: string;
  /** Errors only. */
  quiet?: boolean;
  log?: Logger;
  limits?: Partial<Limits>;
  rooms?: Partial<RoomOptions>;
  /** 'full' fsyncs every commit (default); 'normal' survives a process crash, not a power cut. */
  durability?: 'full' | 'normal';
  /** A store to use instead of DATA_DIR/sync.db (tests, benchmarks). Closed by close(). */
  store?: Store;
  /** Runs commands; defaults to sync-server/commands/execute.ts. */
  executeCommand?: CommandExecutor;
  /** Routes added to the built-in ones. */
  routes?: AnyRoute[];
  /**
   * Auto-apply of scheduled releases (on by default; its start-up pass reads every account). Tests
   * pass a timer that never fires and call scheduler.tick(), or false when they count document loads.
   */
  scheduler?: Partial<Pick<SchedulerOptions, 'timer' | 'maxDelayMs'>> | false;
  /** Milliseconds between WebSocket pings (a socket that misses one is dropped). */
  heartbeatMs?: number;
  /** `{ process: true }` adds Node's own metrics to /metrics (main.ts; once per process). */
  metrics?: MetricsOptions;
  /** When set, /metrics wants `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
  /**
   * One of several instances on a shared store (PostgreSQL): serve the accounts whose lease this
   * instance holds, relay the others to their owners (sync-server/cluster/).
   */
  cluster?: ClusterConfig;
}

export interface SyncServer {
  port: number;
  /** http://host:port */
  url: string;
  rooms: Rooms;
  store: Store;
  /** Auto-apply of scheduled releases; started on listen, stopped by close(). Tests call tick(). */
  scheduler: Scheduler;
  /** What /metrics reports (its registry and the counters the rooms bump). */
  metrics: ServerMetrics;
  /** Several instances: this one's leases and relaying. */
  cluster: ClusterNode | undefined;
  /** Stores everything pending, closes sockets with 1012, closes the store. */
  close(): Promise<void>;
}

export { databaseFile };

export async function createSyncServer(config: SyncServerConfig): Promise<SyncServer> {
  const host = config.host ?? '127.0.0.1';
  const log = config.log ?? (config.quiet ? quietLogger : consoleLogger);
  const limits: Limits = { ...defaultLimits, ...config.limits };
  const clock = config.clock ?? systemClock;
  const schedule = watchSchedule(clock, config.scheduler ? config.scheduler.timer : undefined);
  const metrics = createMetrics(
    {
      connections: () => rooms.loadedAccounts().reduce((sum, id) => sum + rooms.connectionCount(id), 0),
      roomsLoaded: () => rooms.loadedAccounts().length,
      schedulerLagSeconds: () => schedule.lagSeconds(),
    },
    config.metrics,
  );
  const store = instrumentStore(
    config.store ?? (await openStore({ dataDir: config.dataDir, durability: config.durability ?? 'full' })),
    metrics,
  );
  let stopping = false;
  let listeningUrl = '';
  const cluster = config.cluster
    ? createClusterNode({
        store,
        url: () => config.cluster?.url ?? listeningUrl,
        config: config.cluster,
        log,
        evict: (id) => rooms.evict(id),
      })
    : undefined;
  const rooms: Rooms = new Rooms({
    store,
    limits,
    options: { ...defaultRoomOptions, ...config.rooms },
    clock,
    log,
    executeCommand: config.executeCommand ?? realExecuteCommand,
    metrics,
    ...(cluster && {
      storeFor: cluster.storeFor,
      onRoomGone: (id: string) =>
        void cluster.ownership.release(id).catch((error: unknown) => log.warn(`Releasing account ${id} failed: ${String(error)}`)),
    }),
  });
  const sync = createSyncEndpoint({ rooms, accounts: store.accounts, limits, log, ...(cluster && { relay: cluster.routeUpgrade }) });
  const serveStatic = createStaticHandler(config.staticDir);
  const requestLog = createRequestLog(log);
  // Routes live under /api, but one outside it (a /healthz) is answered too when a route matches it.
  const routed = (method: string, pathname: string) =>
    pathname === '/api' || pathname.startsWith('/api/') || app.findRoute({ method: method as 'GET', url: pathname }) !== null;
  const app = await createHttpApp({
    routes: [
      ...apiRoutes,
      ...healthRoutes({ store, schedule, metrics, stopping: () => stopping, metricsToken: config.metricsToken }),
      ...(config.routes ?? []),
    ],
    deps: { store, rooms, clock, limits, log },
    // Routes go to fastify; everything else is the PWA's files, then a JSON 404.
    serverFactory: (api) =>
      createServer((req: IncomingMessage, res: ServerResponse) => {
        const url = requestUrl(req);
        if (!url)
          return void res
            .writeHead(400, { 'Content-Type': 'application/json; charset=utf-8' })
            .end(JSON.stringify({ error: { code: 'BAD_REQUEST', message: 'The request target is not a URL.' } }));
        requestLog.begin(req, res, url.pathname);
        if (routed(req.method ?? 'GET', url.pathname)) {
          if (!cluster) return api(req, res);
          // Several instances: a request about an account another instance serves is answered there.
          return void cluster.routeHttp(req, res, url).then(
            (relayed) => (relayed ? undefined : api(req, res)),
            () => api(req, res),
          );
        }
        serveStatic(req, res, url.pathname)
          .then((served) => {
            if (served) return;
            const body = JSON.stringify({
              error: {
                code: 'NOT_FOUND',
                message: config.staticDir ? `Nothing at ${url.pathname}.` : 'The PWA is not served here (no staticDir); run npm start.',
              },
            });
            res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8' }).end(body);
          })
          .catch(() => res.destroy());
      }),
  });
  const server = app.server;
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  server.on('upgrade', (req, socket, head) => {
    const pathname = requestUrl(req)?.pathname ?? '';
    if (pathname === '/sync' || pathname.startsWith('/sync/')) sync.handleUpgrade(req, socket, head);
    else socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });

  // Several instances: an account moves to the tables when its owner first loads it (the eager pass
  // here would make this instance take every such account, before it even listens).
  if (!cluster)
    await migrateStoredAccounts({
      store,
      loadAndSettle: async (accountId) => {
        await rooms.read(accountId, () => undefined);
        await rooms.room(accountId).committed();
      },
      log,
    });
  await measureStoredAccounts(store);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  listeningUrl = `http://${shownHost}:${port}`;
  cluster?.start();
  const scheduler = createScheduler({
    ...(config.scheduler || {}),
    timer: schedule.timer,
    clock,
    rooms,
    records: store.records,
    ...(cluster ? { mayServe: (accountId: string) => cluster.mayServe(accountId) } : {}),
    onError: (error, accountId) => {
      if (error instanceof NotOwnerError) log.info(`auto-apply for account ${accountId}: ${error.message}`);
      else log.error(`auto-apply for account ${accountId} failed: ${String(error)}`);
    },
  });
  if (config.scheduler !== false) {
    schedule.started();
    void scheduler.start().catch((error: unknown) => log.error(`auto-apply failed to start: ${String(error)}`));
  }
  const heartbeat = setInterval(() => sync.heartbeat(), config.heartbeatMs ?? 30_000);
  heartbeat.unref();

  let closing: Promise<void> | undefined;
  return {
    port,
    url: `http://${shownHost}:${port}`,
    rooms,
    store,
    scheduler,
    metrics,
    cluster,
    close: () =>
      (closing ??= (async () => {
        stopping = true;
        clearInterval(heartbeat);
        schedule.stopped();
        await scheduler.stop();
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        await rooms.close(CloseCode.serviceRestart, 'The server is restarting.');
        await sync.close();
        server.closeAllConnections();
        await stopped;
        await app.close();
        await cluster?.stop();
        await store.close();
      })()),
  };
}
