/**
 * The shipped deployments: the systemd unit (checked by systemd-analyze, and its command run with its
 * environment, stopped the way systemd stops it: SIGTERM to the main process only) and the
 * Dockerfile (built, run on a volume, `docker stop`ped: exit 0, the port free, the data there on
 * the next run). The Docker test needs a Docker engine and says so when there is none.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import { readPack, writeNewPack } from '../../shared/index.ts';
import type { DemoTokens } from '../../sync-server/seed.ts';
import { loadStoredDoc, readDemoTokens } from '../fault/support.ts';
import { connectClient, covers, synced, tempDir, waitFor, type TestClient } from '../server/helpers.ts';
import { exitWithin, groupGone, launch, listening, portIsFree, root } from './support.ts';

const run = promisify(execFile);
const UNIT = join(root, 'deploy', 'integration-packs.service');

const cleanup: (() => unknown)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

const pack = (id: string) => ({
  id,
  name: `Pack ${id}`,
  description: 'Stored before the stop',
  installationType: 'SINGLE' as const,
  componentIds: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'test',
});

function client(wsUrl: string, token: string): TestClient {
  const c = connectClient({ wsUrl, accountId: 'demo', token, proto: true });
  cleanup.push(() => c.destroy());
  return c;
}

async function writeAndStore(c: TestClient, id: string): Promise<void> {
  await synced(c);
  writeNewPack(c.doc, pack(id));
  const mine = Y.encodeStateVector(c.doc);
  await waitFor([c], () => c.stored.some((sv) => covers(sv, mine)), `${id} stored`);
}

/** `Key=value` settings of the unit's [Service] section, in order (Environment= may repeat). */
function unitSettings(text: string): [string, string][] {
  const service = text.split(/^\[Service\]$/m)[1]?.split(/^\[/m)[0] ?? '';
  return service
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as [string, string]);
}

test('systemd-analyze accepts the unit as written', async (ctx) => {
  const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((path) => existsSync(path));
  if (!analyze) return ctx.skip('systemd-analyze is not installed here');
  if (!existsSync('/usr/bin/npm')) return ctx.skip('the unit runs /usr/bin/npm, which this machine does not have');
  const { stderr } = await run(analyze, ['verify', UNIT]);
  expect(stderr).toBe('');
});

test("the unit's command, with the unit's environment, stops cleanly on SIGTERM to its main process", async () => {
  const settings = unitSettings(readFileSync(UNIT, 'utf8'));
  const get = (key: string) => settings.find(([k]) => k === key)?.[1];
  expect(get('KillMode')).toBe('mixed');
  expect(get('KillSignal')).toBe('SIGTERM');
  const [command, ...args] = get('ExecStart')!.split(' ');
  expect([command, ...args]).toEqual(['/usr/bin/npm', 'start']);
  const unitEnv = Object.fromEntries(
    settings
      .filter(([key]) => key === 'Environment')
      .map(([, value]) => [value.slice(0, value.indexOf('=')), value.slice(value.indexOf('=') + 1)]),
  );
  expect(unitEnv).toMatchObject({ HOST: '127.0.0.1', PORT: '8080', DATA_DIR: '/var/lib/integration-packs', SKIP_BUILD: '1' });

  // Here instead of /opt, /var/lib and /var/cache: a free port and temporary directories.
  const dataDir = tempDir('ip-ops-unit-');
  const cache = tempDir('ip-ops-unit-cache-');
  cleanup.push(() => rmSync(dataDir, { recursive: true, force: true }));
  cleanup.push(() => rmSync(cache, { recursive: true, force: true }));
  const service = launch('npm', args, { ...unitEnv, PORT: '0', DATA_DIR: dataDir, NPM_CONFIG_CACHE: cache, QUIET: undefined });
  cleanup.push(() => service.killGroup());
  const { port, wsUrl } = await listening(service);
  await writeAndStore(client(wsUrl, readDemoTokens(dataDir).demo!.admin[0]!), 'under-systemd');

  process.kill(service.pid, 'SIGTERM');
  expect(await exitWithin(service, Number(get('TimeoutStopSec')) * 1000)).toEqual({ code: 0, signal: null });
  expect(await portIsFree(port)).toBe(true);
  await groupGone(service.pid);
  expect(readPack(await loadStoredDoc(dataDir, 'demo'), 'under-systemd')).toBeDefined();
}, 90_000);

/** Whether a Docker engine answers; the reason when not. */
async function dockerEngine(): Promise<string | undefined> {
  try {
    await run('docker', ['info', '--format', '{{.ServerVersion}}'], { timeout: 20_000 });
    return undefined;
  } catch (error) {
    const detail = (error as { stderr?: string }).stderr?.trim().split('\n')[0] ?? (error as Error).message;
    return `no Docker engine answers here (docker info: ${detail})`;
  }
}

async function waitReady(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = await fetch(`${url}/readyz`).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`${url}/readyz did not answer 200 within ${timeoutMs} ms (last: ${status}).`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

test('the Dockerfile: built, run on a volume, docker stop stores and exits 0, the data is there on the next run', async (ctx) => {
  const missing = await dockerEngine();
  if (missing) return ctx.skip(missing);
  const name = `ipacks-test-${process.pid}-${Date.now().toString(36)}`;
  const image = `${name}:latest`;
  const docker = (...args: string[]) => run('docker', args, { cwd: root, timeout: 900_000, maxBuffer: 64 * 1024 * 1024 });
  await docker('build', '-f', 'deploy/Dockerfile', '-t', image, '.');
  cleanup.push(() => docker('rmi', '-f', image).catch(() => {}));
  await docker('volume', 'create', name);
  cleanup.push(() => docker('volume', 'rm', '-f', name).catch(() => {}));

  const start = async (container: string) => {
    await docker('run', '-d', '--name', container, '-p', '127.0.0.1::8080', '-v', `${name}:/data`, image);
    cleanup.push(() => docker('rm', '-f', container).catch(() => {}));
    const mapped = (await docker('port', container, '8080/tcp')).stdout.trim().split('\n')[0]!;
    const port = Number(mapped.slice(mapped.lastIndexOf(':') + 1));
    const url = `http://127.0.0.1:${port}`;
    await waitReady(url);
    return { port, url, wsUrl: `ws://127.0.0.1:${port}/sync` };
  };

  const first = await start(`${name}-1`);
  const tokens = JSON.parse((await docker('exec', `${name}-1`, 'cat', '/data/demo-tokens.json')).stdout) as DemoTokens;
  const token = tokens.demo!.admin[0]!;
  await writeAndStore(client(first.wsUrl, token), 'in-a-container');

  await docker('stop', '--time', '30', `${name}-1`);
  expect((await docker('inspect', '--format', '{{.State.ExitCode}}', `${name}-1`)).stdout.trim()).toBe('0');
  expect((await docker('logs', `${name}-1`)).stdout).toContain('SIGTERM: storing pending changes');
  expect(await portIsFree(first.port)).toBe(true);

  const second = await start(`${name}-2`);
  const reader = client(second.wsUrl, token);
  await synced(reader);
  expect(readPack(reader.doc, 'in-a-container')?.description).toBe('Stored before the stop');
  await docker('stop', '--time', '30', `${name}-2`);
}, 1_200_000);
