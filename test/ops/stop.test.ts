/**
 * A clean stop however the server is run: SIGTERM (or SIGINT) to the one process a process manager
 * or `docker stop` knows about — `npm start`'s npm, or node itself — stores what was written, frees
 * the port and leaves no process behind.
 */
import { rmSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { readPack, writeNewPack } from '../../shared/index.ts';
import { loadStoredDoc, readDemoTokens } from '../fault/support.ts';
import { connectClient, covers, synced, tempDir, waitFor } from '../server/helpers.ts';
import { exitWithin, groupGone, launch, listening, portIsFree, type Launched } from './support.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const pack = (id: string) => ({
  id,
  name: `Pack ${id}`,
  description: 'Written just before the stop',
  installationType: 'SINGLE' as const,
  componentIds: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'test',
});

const ways: { name: string; command: string; args: string[]; signal: NodeJS.Signals }[] = [
  { name: 'npm start, SIGTERM to npm', command: 'npm', args: ['start'], signal: 'SIGTERM' },
  { name: 'npm start, SIGINT to npm', command: 'npm', args: ['start'], signal: 'SIGINT' },
  {
    name: 'node --import tsx sync-server/main.ts, SIGTERM',
    command: process.execPath,
    args: ['--import', 'tsx', 'sync-server/main.ts'],
    signal: 'SIGTERM',
  },
  { name: 'npm run server (tsx), SIGTERM to npm', command: 'npm', args: ['run', 'server'], signal: 'SIGTERM' },
];

function start(command: string, args: string[], dataDir: string): Launched {
  const launched = launch(command, args, { PORT: '0', DATA_DIR: dataDir, SKIP_BUILD: '1', QUIET: undefined });
  cleanup.push(() => launched.killGroup());
  return launched;
}

test.each(ways)(
  '$name: stores the last edit, frees the port, leaves no process',
  async ({ command, args, signal }) => {
    const dataDir = tempDir('ip-ops-stop-');
    cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
    const server = start(command, args, dataDir);
    const { port, wsUrl } = await listening(server);

    const client = connectClient({ wsUrl, accountId: 'demo', token: readDemoTokens(dataDir).demo!.admin[0]!, proto: true });
    cleanup.push(() => client.destroy());
    await synced(client);
    writeNewPack(client.doc, pack('last-edit'));
    const mine = Y.encodeStateVector(client.doc);
    await waitFor([client], () => client.stored.some((sv) => covers(sv, mine)), 'the edit is stored');

    process.kill(server.pid, signal);
    expect(await exitWithin(server)).toEqual({ code: 0, signal: null });
    // The process the manager watched has exited: by then the port must be free for the next start.
    expect(await portIsFree(port)).toBe(true);
    await groupGone(server.pid);
    expect(server.output()).toContain(`${signal}: storing pending changes`);
    client.destroy();
    expect(readPack(await loadStoredDoc(dataDir, 'demo'), 'last-edit')?.description).toBe('Written just before the stop');
  },
  90_000,
);

test('SIGTERM to npm start while it is still starting: it exits and leaves no process', async () => {
  const dataDir = tempDir('ip-ops-stop-');
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const server = start('npm', ['start'], dataDir);
  await server.waitForOutput(/node scripts\/start\.mjs/, 'npm running the start script');
  process.kill(server.pid, 'SIGTERM');
  await exitWithin(server);
  await groupGone(server.pid);
}, 60_000);
