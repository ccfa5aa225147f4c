/**
 * Limits set in the environment of `npm start` (LIMIT_…, sync-server/config.ts): the server enforces
 * them; a LIMIT_ variable that names no limit stops the start with the list of limits.
 */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';
import type { DemoTokens } from '../../sync-server/seed.ts';
import { tempDir } from '../server/helpers.ts';
import { rawSocket, upgradeStatus } from '../server/raw-socket.ts';
import { exitWithin, groupGone, launch, listening } from './support.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function dataDir(): string {
  const dir = tempDir('ip-ops-limits-');
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('LIMIT_MAX_CONNECTIONS_PER_PERSON=1: a second socket of the same person gets 503, another person gets in', async () => {
  const dir = dataDir();
  const server = launch('npm', ['start'], { PORT: '0', DATA_DIR: dir, SKIP_BUILD: '1', LIMIT_MAX_CONNECTIONS_PER_PERSON: '1' });
  cleanup.push(() => server.killGroup());
  const { wsUrl } = await listening(server);
  const tokens = JSON.parse(readFileSync(join(dir, 'demo-tokens.json'), 'utf8')) as DemoTokens;
  const [ann, bob] = tokens.demo!.admin as [string, string];
  const first = rawSocket(`${wsUrl}/demo?token=${ann}&proto=1`);
  cleanup.push(() => first.ws.terminate());
  await first.opened;
  const second = await upgradeStatus(`${wsUrl}/demo?token=${ann}&proto=1`);
  expect(second.status).toBe(503);
  expect(second.body).toContain('TOO_MANY_CONNECTIONS');
  const other = rawSocket(`${wsUrl}/demo?token=${bob}&proto=1`);
  cleanup.push(() => other.ws.terminate());
  await other.opened;
}, 90_000);

test('a LIMIT_ variable that names no limit stops the start, naming it and the limits', async () => {
  const server = launch('npm', ['start'], { PORT: '0', DATA_DIR: dataDir(), SKIP_BUILD: '1', LIMIT_MAX_CONECTIONS_PER_PERSON: '1' });
  cleanup.push(() => server.killGroup());
  expect((await exitWithin(server, 60_000)).code).toBe(1);
  await groupGone(server.pid);
  expect(server.output()).toContain('LIMIT_MAX_CONECTIONS_PER_PERSON is not a limit. The limits are: LIMIT_MAX_MESSAGE_BYTES_BEFORE_SYNC,');
  expect(server.output()).not.toContain('listening on');
}, 90_000);
