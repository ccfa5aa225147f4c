/**
 * `npm start` runs this (through scripts/start.mjs): reads PORT (8080), HOST (127.0.0.1) and
 * DATA_DIR (./data), seeds the demo on first start, and prints exactly one line
 * `listening on http://<host>:<port>` that scripts and tests wait for.
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { consoleLogger } from './log.ts';
import { seedDemo, storeIsEmpty } from './seed.ts';
import { createSyncServer, databaseFile } from './server.ts';
import { openSqliteStore } from './storage/sqlite.ts';
import type { Store } from './storage/types.ts';

async function main(env: NodeJS.ProcessEnv): Promise<void> {
  const port = env.PORT === undefined || env.PORT === '' ? 8080 : Number(env.PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}".`);
  const host = env.HOST || '127.0.0.1';
  const dataDir = resolve(env.DATA_DIR || './data');
  const staticDir = resolve(fileURLToPath(new URL('../dist', import.meta.url)));

  let store: Store;
  try {
    store = openSqliteStore(databaseFile(dataDir), {
      durability: env.DURABILITY === 'normal' ? 'normal' : 'full',
      writer: env.SQLITE_WRITER === 'worker' ? 'worker' : 'inline',
    });
  } catch (error) {
    throw new Error(
      `Cannot open the database ${databaseFile(dataDir)} (set DATA_DIR to a writable directory): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  let seededTokens: Awaited<ReturnType<typeof seedDemo>> | undefined;
  if (await storeIsEmpty(store)) {
    seededTokens = await seedDemo(store, { now: new Date() });
    writeFileSync(join(dataDir, 'demo-tokens.json'), JSON.stringify(seededTokens, null, 2) + '\n', { mode: 0o600 });
  }

  const server = await createSyncServer({
    port,
    host,
    dataDir,
    staticDir,
    store,
    log: env.QUIET ? { ...consoleLogger, info: () => {} } : consoleLogger,
  });
  if (seededTokens) {
    console.log(`First start: seeded the demo accounts "demo" (multi-install on) and "acme" (off) in ${dataDir}.`);
    console.log(`Sign in at ${server.url} with the server URL and a token from ${join(dataDir, 'demo-tokens.json')};`);
    console.log(`  an admin of "demo": ${seededTokens.demo?.admin[0] ?? '(none)'}`);
    console.log('Mint more with: npm run token -- --account demo --role admin --name "Your Name"');
  }
  console.log(`listening on ${server.url}`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: storing pending changes and closing connections.`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`Shutdown failed: ${String(error)}`);
        process.exit(1);
      },
    );
  };
  // A bug must not take every account down: log it and keep serving (each room is independent).
  process.on('unhandledRejection', (reason) =>
    console.error(`Unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`),
  );
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main(process.env).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
