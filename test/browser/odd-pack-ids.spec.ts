/**
 * Packs stored before the pack-id rule (an empty id, one with a slash) stay reachable and deletable
 * from the page: each opens at its own address (/packs/~<hex>, shared/pack-route.ts), survives a
 * reload there, and is deleted with Delete Integration Pack like any other pack.
 */
import { rmSync } from 'node:fs';
import * as Y from 'yjs';
import { writeNewPack, type IntegrationPack } from '../../shared/index.ts';
import { databaseFile } from '../../sync-server/server.ts';
import { openSqliteStore } from '../../sync-server/storage/sqlite.ts';
import { detailsHeading, openPack } from './admin-helpers.ts';
import { expect, startServer, test } from './fixtures.ts';
import { DEMO, packOption, syncStatus } from './page-helpers.ts';

const odd = (id: string, name: string): IntegrationPack => ({
  id,
  name,
  description: 'Stored before the pack-id rule.',
  installationType: 'SINGLE',
  componentIds: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'An old version',
});

/** Writes the packs into the stored document as an older server would have (the server is stopped). */
async function storePacks(dataDir: string, packs: IntegrationPack[]): Promise<void> {
  const store = openSqliteStore(databaseFile(dataDir));
  try {
    const stored = await store.docs.load(DEMO);
    const doc = new Y.Doc();
    if (stored.snapshot) Y.applyUpdate(doc, stored.snapshot);
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    const before = Y.encodeStateVector(doc);
    for (const pack of packs) writeNewPack(doc, pack);
    await store.docs.append(DEMO, [Y.encodeStateAsUpdate(doc, before)]);
  } finally {
    await store.close();
  }
}

test('packs with an empty id or a slash in it open at their own address and are deleted from the page', async ({ page }) => {
  test.setTimeout(90_000);
  const seeded = await startServer();
  const { dataDir } = seeded;
  await seeded.stop({ keepData: true });
  await storePacks(dataDir, [odd('', 'Pack with an empty id'), odd('a/b', 'Pack with a slash')]);
  const server = await startServer({ dataDir });
  try {
    await page.goto(server.baseURL);
    await page.getByLabel('Token').fill(server.tokens[DEMO]!.admin[0]!);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(syncStatus(page)).toHaveText('Saved', { timeout: 10_000 });

    for (const [name, segment] of [
      ['Pack with an empty id', '~'],
      ['Pack with a slash', '~612f62'],
    ] as const) {
      await openPack(page, name);
      await expect(page).toHaveURL(new RegExp(`/packs/${segment}$`));
      await page.reload();
      await expect(detailsHeading(page)).toHaveText(name);
      await expect(syncStatus(page)).toHaveText('Saved', { timeout: 10_000 });
      await page.getByRole('button', { name: 'Delete Integration Pack' }).click();
      await page.getByRole('dialog', { name: 'Delete Integration Pack' }).getByRole('button', { name: 'OK' }).click();
      await expect(packOption(page, name)).toHaveCount(0);
      await expect(page).toHaveURL(/\/packs$/);
    }
    // Deleted on the server too: a fresh load of the page has neither.
    await page.reload();
    await expect(syncStatus(page)).toHaveText('Saved', { timeout: 10_000 });
    await expect(packOption(page, 'Pack with an empty id')).toHaveCount(0);
    await expect(packOption(page, 'Pack with a slash')).toHaveCount(0);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
