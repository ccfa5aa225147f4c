/**
 * The README's ipack example, run as written (bash, `npm run ipack`, real processes) against a server
 * seeded with the demo accounts: only the two `export` lines are pointed at this test's server.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { readReleases } from '../../shared/schema.ts';
import { seedDemo, type DemoTokens } from '../../sync-server/seed.ts';
import { createSyncServer, databaseFile, type SyncServer } from '../../sync-server/server.ts';
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts';
import { tempDir } from '../server/helpers.ts';

const root = join(import.meta.dirname, '..', '..');
let server: SyncServer;
let tokens: DemoTokens;
let dataDir: string;

beforeAll(async () => {
  dataDir = tempDir('ip-readme-');
  const store = openSqliteStore(databaseFile(dataDir), { durability: 'normal' });
  tokens = await seedDemo(store, { now: new Date() });
  server = await createSyncServer({ port: 0, dataDir, store, quiet: true, scheduler: false });
});
afterAll(async () => {
  await server?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

function readmeExample(): string {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const match = /<!-- ipack-example[^>]*-->\s*```sh\n([\s\S]*?)```/.exec(readme);
  if (!match) throw new Error('README.md has no ipack example block');
  return match[1]!;
}

const run = (script: string) =>
  new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], { cwd: root, env: { ...process.env, CI: 'true' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });

test('the README example publishes a component version, releases the pack and waits for SUCCESS', { timeout: 120_000 }, async () => {
  const example = readmeExample();
  expect(example).toMatch(/^export IPACK_URL=.*$/m);
  expect(example).toMatch(/^export IPACK_TOKEN=.*$/m);
  const script = example
    .replace(/^export IPACK_URL=.*$/m, `export IPACK_URL=${server.url}`)
    .replace(/^export IPACK_TOKEN=.*$/m, `export IPACK_TOKEN=${tokens.demo!.admin[0]}`);
  const releases = () =>
    server.rooms.read('demo', (doc) => [...doc.getMap('packs').keys()].reduce((sum, id) => sum + readReleases(doc, id).length, 0));
  const before = await releases();
  const result = await run(script);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/version \d+ published/);
  expect(result.stdout).toMatch(/^rq_\S+ of Salesforce to NetSuite: SUCCESS \(release \d+\)$/m);
  expect(await releases()).toBe(before + 1);
});
