/**
 * Offline: with the network gone the page keeps working, a reload is served by the service worker
 * from its precache and the local database, and the edit reaches the other admin once back online.
 */
import { expect, test } from './fixtures.ts';
import { addPack, adminToken, packOption, screenshot, signIn, syncStatus, unique } from './page-helpers.ts';

test('edit offline, reload offline, then the other admin has the edit once back online', async ({ browser, server }) => {
  const avery = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const blake = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    const a = await avery.newPage();
    const b = await blake.newPage();
    await signIn(a, adminToken(server, 0));
    await signIn(b, adminToken(server, 1));
    // The service worker has precached the app shell once it is active.
    await a.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });

    const name = `Travel Pack ${unique()}`;
    await addPack(a, name, 'Single Attachment', 'Written online.');
    await packOption(b, name).click();
    await expect(b.getByLabel('Description')).toHaveValue('Written online.');

    await avery.setOffline(true);
    await expect(syncStatus(a)).toHaveText(/^Offline/);
    await a.getByLabel('Description').fill('Written offline, on a train.');
    await a.getByRole('button', { name: 'Save' }).click();
    await expect(syncStatus(a)).toHaveText('Offline — 1 change not yet stored');

    // Reload with no network: the shell comes from the service worker, the pack from IndexedDB.
    const reloaded = await a.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    await expect(a.getByLabel('Description')).toHaveValue('Written offline, on a train.');
    await expect(syncStatus(a)).toHaveText(/^Offline/);
    await screenshot(a, 'desktop-7-offline-after-reload');
    // The other admin has not seen it.
    await expect(b.getByLabel('Description')).toHaveValue('Written online.');

    await avery.setOffline(false);
    await expect(syncStatus(a)).toHaveText('Saved', { timeout: 15_000 });
    await expect(b.getByLabel('Description')).toHaveValue('Written offline, on a train.');
  } finally {
    await avery.close();
    await blake.close();
  }
});
