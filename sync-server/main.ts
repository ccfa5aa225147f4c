/**
 * `npm start` runs this (in scripts/start.mjs's own process): reads PORT (8080), HOST (127.0.0.1)
 * and DATA_DIR (./data), seeds the demo on first start, and prints exactly one line
 * `listening on http://<host>:<port>` that scripts and tests wait for. SIGTERM or SIGINT — also one
 * that arrives while it is still starting — stores what is pending, closes and exits 0. With
 * DATABASE_URL=postgres://… it is one of several instances on that database (INSTANCE_URL: where
 * the others reach it; LEASE_TTL_MS: how soon a dead instance's accounts are taken over).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { limitsFromEnv } from './config.ts';
import { describeListenError } from './listen-error.ts';
import { createPinoLogger, logLevelFrom } from './log.ts';
import { type DataDirLock, DataDirInUseError, LOCK_FILE, lockDataDir } from './ops/data-dir-lock.ts';
import { seedDemo, storeIsEmpty } from './seed.ts';
import { createSyncServer, type SyncServer } from './server.ts';
import { describeStore, isPostgresUrl, openStore, storeChoiceFromEnv } from './storage/open-store.ts';
import type { Store } from './storage/types.ts';

/** A stop that takes longer than this (a store that does not answer) ends the process anyway. */
const SHUTDOWN_DEADLINE_MS = 30_000;

class StartupError extends Error {}

/** A setting read at start-up: its error is told as it is, without a stack. */
function startupCheck<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    throw new StartupError(error instanceof Error ? error.message : String(error));
  }
}

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const port = env.PORT === undefined || env.PORT === '' ? 8080 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new StartupError(`PORT must be a port number, not "${env.PORT}".`);
  const host = env.HOST || '127.0.0.1';
  const dataDir = resolve(env.DATA_DIR || './data');
  const staticDir = resolve(fileURLToPath(new URL('../dist', import.meta.url)));
  const tokensFile = join(dataDir, 'demo-tokens.json');
  const log = createPinoLogger({ level: startupCheck(() => logLevelFrom(env)) });
  const choice = storeChoiceFromEnv(env, dataDir);
  const shared = isPostgresUrl(choice.databaseUrl);
  const limits = startupCheck(() => limitsFromEnv(env));
  const leaseTtlMs = env.LEASE_TTL_MS ? Number(env.LEASE_TTL_MS) : undefined;
  if (leaseTtlMs !== undefined && !(Number.isInteger(leaseTtlMs) && leaseTtlMs >= 100))
    throw new StartupError(`LEASE_TTL_MS must be a whole number of milliseconds (at least 100), not "${env.LEASE_TTL_MS}".`);
  if (env.INSTANCE_URL && !/^http:\/\/[^/]+\/?$/.test(env.INSTANCE_URL))
    throw new StartupError(`INSTANCE_URL must be http://host:port (how the other instances reach this one), not "${env.INSTANCE_URL}".`);

  // SQLite is one process's file: a second server on this DATA_DIR stops here, saying so. A
  // directory the lock cannot be written in (read-only) is left to the store to open or refuse.
  let lock: DataDirLock | undefined;
  if (!shared)
    try {
      lock = lockDataDir(dataDir);
    } catch (error) {
      if (error instanceof DataDirInUseError) throw new StartupError(error.message);
      log.warn(`Could not take the lock ${join(dataDir, LOCK_FILE)}; going on without it: ${String(error)}`);
    }

  let store: Store | undefined;
  let server: SyncServer | undefined;
  let stopping: string | undefined;

  async function startUp(): Promise<void> {
    try {
      store = await openStore(choice);
    } catch (error) {
      const hint = shared ? 'check DATABASE_URL' : 'set DATA_DIR to a writable directory';
      throw new StartupError(
        `Cannot open the database ${describeStore(choice)} (${hint}): ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const opened = store;
    let seeded: Awaited<ReturnType<typeof seedDemo>> | undefined;
    // Several instances may start at once on an empty database: one seeds, the others find it seeded.
    const seedOnce = async () => {
      if (!(await storeIsEmpty(opened))) return;
      seeded = await seedDemo(opened, { now: new Date() });
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(tokensFile, JSON.stringify(seeded, null, 2) + '\n', { mode: 0o600 });
    };
    await (opened.exclusive ? opened.exclusive(seedOnce) : seedOnce());
    if (stopping) return;
    try {
      server = await createSyncServer({
        port,
        host,
        dataDir,
        staticDir,
        store,
        log,
        limits,
        metrics: { process: true },
        metricsToken: env.METRICS_TOKEN || undefined,
        ...(shared && {
          cluster: {
            ...(env.INSTANCE_URL && { url: env.INSTANCE_URL.replace(/\/$/, '') }),
            ...(leaseTtlMs !== undefined && { leaseTtlMs }),
          },
        }),
      });
    } catch (error) {
      const explained = describeListenError(error, { host, port });
      if (explained) throw new StartupError(explained);
      throw error;
    }
    if (stopping) return;
    if (seeded) console.log(`First start: seeded the demo accounts "demo" (multi-install on) and "acme" (off) in ${dataDir}.`);
    if (existsSync(tokensFile)) {
      console.log(`Sign in at ${server.url} with a token from ${tokensFile}.`);
      // Only to a person at a terminal: logs collected by a process manager never carry a token.
      if (seeded && process.stdout.isTTY) console.log(`  an admin of "demo": ${seeded.demo?.admin[0] ?? '(none)'}`);
    }
    if (seeded) console.log('Mint more tokens with: npm run token -- --account demo --role admin --name "Your Name"');
    console.log(`listening on ${server.url}`);
  }

  /** Closes what was opened: the server (which closes its store) or, when it never listened, the store. */
  const closeAll = () => (server ? server.close() : (store?.close() ?? Promise.resolve())).finally(() => lock?.release());

  const started = startUp();
  const stop = (signal: string) => {
    // A terminal's Ctrl-C reaches npm and this process both: one stop is enough.
    if (stopping) return;
    stopping = signal;
    log.info(`${signal}: storing pending changes and closing connections.`);
    setTimeout(() => {
      log.error(`The server did not stop within ${SHUTDOWN_DEADLINE_MS / 1000} s; exiting without waiting.`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    started
      .catch(() => {})
      .then(closeAll)
      .then(
        () => process.exit(0),
        (error: unknown) => {
          log.error(`Shutdown failed: ${String(error)}`);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  // A bug must not take every account down: log it and keep serving (each room is independent).
  process.on('unhandledRejection', (reason) =>
    log.error(`Unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`),
  );
  try {
    await started;
  } catch (error) {
    await closeAll().catch(() => {});
    throw error;
  }
}

main(process.env).catch((error: unknown) => {
  console.error(error instanceof StartupError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
