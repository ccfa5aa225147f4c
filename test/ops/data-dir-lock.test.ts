/**
 * One server per DATA_DIR (SQLite): a second server on the directory another one serves says so and
 * exits 1 before touching it, and so does a restore into it; once the first has stopped — cleanly or
 * killed with SIGKILL, when nothing could remove a lock — the next server starts at once.
 */
import { rmSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import { tempDir } from '../server/helpers.ts';
import { exitWithin, groupGone, launch, listening, type Launched } from './support.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function run(command: string, args: string[], env: Record<string, string>): Launched {
  const launched = launch(command, args, env);
  cleanup.push(() => launched.killGroup());
  return launched;
}

const node = (dataDir: string) => run(process.execPath, ['--import', 'tsx', 'sync-server/main.ts'], { PORT: '0', DATA_DIR: dataDir });

test('a second server on a DATA_DIR in use is refused with the reason; the directory is free again however the first ended', async () => {
  const dataDir = tempDir('ip-ops-lock-');
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  const first = run('npm', ['start'], { PORT: '0', DATA_DIR: dataDir, SKIP_BUILD: '1' });
  const { url } = await listening(first);

  const second = node(dataDir);
  expect((await exitWithin(second, 30_000)).code).toBe(1);
  await groupGone(second.pid);
  expect(second.output()).toContain(`Another process is using DATA_DIR ${dataDir}`);
  expect(second.output()).toContain('One server per DATA_DIR: stop that one, or give this one its own DATA_DIR=');
  expect(second.output()).not.toMatch(/^\s+at /m);
  expect(second.output()).not.toContain('listening on');

  const restore = run('npm', ['run', '-s', 'restore', '--', `${dataDir}/sync.db`], { DATA_DIR: dataDir });
  expect((await exitWithin(restore, 60_000)).code).toBe(1);
  expect(restore.output()).toContain('Stop that server before restoring into its directory');

  expect((await fetch(`${url}/readyz`)).status).toBe(200);
  process.kill(first.pid, 'SIGTERM');
  expect((await exitWithin(first, 45_000)).code).toBe(0);

  const third = node(dataDir);
  await listening(third);
  third.killGroup(); // SIGKILL: the lock goes with the process
  await groupGone(third.pid);

  const fourth = node(dataDir);
  const { url: fourthUrl } = await listening(fourth);
  expect((await fetch(`${fourthUrl}/readyz`)).status).toBe(200);
}, 150_000);
