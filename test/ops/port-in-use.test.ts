/**
 * A port already in use: the second server says which port and how to choose another, exits 1,
 * and leaves nothing running; the first one keeps serving.
 */
import { rmSync } from 'node:fs';
import { afterEach, expect, test } from 'vitest';
import { tempDir } from '../server/helpers.ts';
import { exitWithin, groupGone, launch, listening } from './support.ts';

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

function dataDir(): string {
  const dir = tempDir('ip-ops-port-');
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('npm start on a port another server holds names the port and PORT=…, and exits 1', async () => {
  const first = launch('npm', ['start'], { PORT: '0', DATA_DIR: dataDir(), SKIP_BUILD: '1' });
  cleanup.push(() => first.killGroup());
  const { port, url } = await listening(first);

  const second = launch('npm', ['start'], { PORT: String(port), DATA_DIR: dataDir(), SKIP_BUILD: '1' });
  cleanup.push(() => second.killGroup());
  expect((await exitWithin(second, 30_000)).code).toBe(1);
  await groupGone(second.pid);
  const output = second.output();
  expect(output).toContain(`Port ${port} on 127.0.0.1 is already in use`);
  expect(output).toContain(`PORT=${port + 1} npm start`);
  expect(output).not.toMatch(/^\s+at /m);
  expect(output).not.toContain('listening on');

  expect((await fetch(`${url}/api/health`)).status).toBe(200);
}, 90_000);
