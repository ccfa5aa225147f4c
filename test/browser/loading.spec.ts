/**
 * Issue 16 item 1: no false empty state. While the app's script downloads on a slow link, the HTML
 * shell says it is loading; after the first sign-in, until the first sync has finished, the list
 * says it is loading — never "No integration packs yet" — and a pack opened by its address says
 * "Loading", not "not found". Desktop and phone.
 */
import type { WebSocketRoute } from '@playwright/test';
import { expectNoSeriousViolations, fullShot, VIEWPORTS } from './admin-helpers.ts';
import { expect, test } from './fixtures.ts';
import { adminToken, packOption } from './page-helpers.ts';

const EMPTY = 'No integration packs yet. Add one to get started.';

for (const viewport of VIEWPORTS) {
  test.describe(`at ${viewport.width}x${viewport.height}`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test('the HTML shell says it is loading while the script downloads at 50 KB/s', async ({ page }) => {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 100,
        downloadThroughput: 50 * 1024,
        uploadThroughput: 50 * 1024,
      });
      await page.goto('/', { waitUntil: 'commit' });
      await expect(page.getByRole('status')).toHaveText('Loading Integration Packs…');
      await fullShot(page, `loading-${viewport.name}-shell`);
      await expect(page.getByLabel('Token')).toBeVisible({ timeout: 20_000 });
      await expect(page.getByText('Loading Integration Packs…')).toHaveCount(0);
    });

    test('first sign-in: the list is loading until the first sync, never empty', async ({ page, server }) => {
      // The sync socket is held (opened, never answered) until `release`: a slow first sync.
      let hold = true;
      const held: WebSocketRoute[] = [];
      await page.routeWebSocket(/\/sync/, (ws) => {
        if (hold) held.push(ws);
        else ws.connectToServer();
      });
      await page.goto('/packs/some-pack-id');
      await page.getByLabel('Token').fill(adminToken(server, 1));
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
      if (viewport.name === 'desktop') {
        await expect(page.getByRole('status').filter({ hasText: 'Loading your integration packs…' })).toBeVisible();
        await expect(page.getByText(EMPTY)).toHaveCount(0);
      }
      // The pack in the address is loading, not "not found".
      await expect(page.getByText('Loading this integration pack…')).toBeVisible();
      await expect(page.getByText('Integration pack not found')).toHaveCount(0);
      await fullShot(page, `loading-${viewport.name}-first-sync`);
      await expectNoSeriousViolations(page, `loading-${viewport.name}-first-sync`);

      await page.goto('/packs');
      await expect(page.getByRole('status').filter({ hasText: 'Loading your integration packs…' })).toBeVisible();
      await expect(page.getByText(EMPTY)).toHaveCount(0);

      hold = false;
      for (const ws of held) await ws.close();
      await expect(packOption(page, 'Order Fulfillment')).toBeVisible({ timeout: 15_000 });
      await expect(page.getByText('Loading your integration packs…')).toHaveCount(0);
    });
  });
}
