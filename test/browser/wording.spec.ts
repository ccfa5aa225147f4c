/**
 * Issue 16 item 9, wording and states: what the page says matches what is true. "not yet synced"
 * (the edit is on the device), a queued command that does not look like a success, counted nouns,
 * History of a released pack, a Multiple Attachments pack's empty state, the viewer's read-only
 * banner and grey Delete, a red OK for Delete, a Rollout summary that says what it counts, and the
 * type choice explained before Save. Desktop and phone.
 */
import type { Page } from '@playwright/test';
import { addPackAt, expectNoSeriousViolations, fullShot, openPack, VIEWPORTS } from './admin-helpers.ts';
import { expect, test } from './fixtures.ts';
import { addComponents, adminToken, DEMO, publishComponent, signIn, syncStatus, unique } from './page-helpers.ts';

const GREEN = 'rgb(26, 127, 55)';
const RED = 'rgb(180, 35, 24)';

const rollout = (page: Page) => page.getByRole('region', { name: 'Rollout' });
const history = (page: Page) => page.getByRole('region', { name: 'History' });

for (const viewport of VIEWPORTS) {
  test.describe(`at ${viewport.width}x${viewport.height}`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test('counts, History of a released pack, Rollout summary, empty state of a Multiple Attachments pack, red OK', async ({
      page,
      server,
    }) => {
      await signIn(page, adminToken(server, 1));

      await test.step('Rollout counts with plurals and says what it counts', async () => {
        await openPack(page, 'Order Fulfillment');
        await expect(rollout(page)).toContainText('3 instances in 2 managed accounts');
        await expect(rollout(page)).toContainText('3 instances on Release 1');
        await expect(rollout(page)).not.toContainText('Release 1: 3');
        await openPack(page, 'Finance Close Toolkit');
        await expect(rollout(page)).toContainText('1 instance in 1 managed account');
        await expect(rollout(page)).toContainText('1 instance on Release 1');
      });

      await test.step('History of a pack on Release 2 lists its releases', async () => {
        await openPack(page, 'Salesforce to NetSuite');
        await expect(history(page)).not.toContainText('No releases or other commands yet');
        await expect(history(page).getByRole('listitem').filter({ hasText: 'Release 2: Release Immediate' })).toBeVisible();
        await expect(history(page).getByRole('listitem').filter({ hasText: 'Release 1: Release Immediate' })).toBeVisible();
        await fullShot(page, `wording-${viewport.name}-history-rollout`);
        await expectNoSeriousViolations(page, `wording-${viewport.name}-history-rollout`);
      });

      await test.step("Delete's OK is red, unlike Save", async () => {
        await page.getByRole('button', { name: 'Delete Integration Pack' }).click();
        const dialog = page.getByRole('dialog', { name: 'Delete Integration Pack' });
        await expect(dialog.getByRole('button', { name: 'OK' })).toHaveCSS('background-color', RED);
        await fullShot(page, `wording-${viewport.name}-delete-ok-red`);
        await expectNoSeriousViolations(page, `wording-${viewport.name}-delete-ok-red`);
        await dialog.getByRole('button', { name: 'Cancel' }).click();
      });

      await test.step('the type choice says what each type means and that it is permanent', async () => {
        await page.goto('/packs/new');
        const type = page.getByRole('group', { name: 'Integration Pack Type' });
        await expect(type).toHaveAccessibleDescription(/Single Attachment: installed once per managed account/);
        await expect(type).toHaveAccessibleDescription(/cannot be changed after Save/);
        await fullShot(page, `wording-${viewport.name}-type-explained`);
        await expectNoSeriousViolations(page, `wording-${viewport.name}-type-explained`);
      });

      await test.step('an empty Multiple Attachments pack does not suggest API Service components', async () => {
        await addPackAt(page, `Multi Empty ${unique()}`, 'Multiple Attachments');
        const empty = page.getByRole('table', { name: 'Publications' }).getByRole('cell');
        await expect(empty).toHaveText('No components yet. Add published processes.');
      });
    });

    test('a viewer sees a read-only banner and no live red Delete', async ({ page, server }) => {
      const viewer = server.tokens[DEMO]?.viewer[0];
      if (!viewer) throw new Error('No viewer token in demo-tokens.json.');
      await signIn(page, viewer);
      await expect(page.getByRole('note')).toContainText('Read only.');
      await openPack(page, 'Order Fulfillment');
      await expect(page.getByRole('note')).toContainText('you can look at every integration pack, but not change');
      const del = page.getByRole('button', { name: 'Delete Integration Pack' });
      await expect(del).toBeDisabled();
      await expect(del).not.toHaveCSS('color', RED);
      await fullShot(page, `wording-${viewport.name}-viewer`);
      await expectNoSeriousViolations(page, `wording-${viewport.name}-viewer`);
    });

    test('offline: "not yet synced" and a queued release that is not green', async ({ page, context, server }) => {
      const token = adminToken(server, 0);
      const tag = unique();
      const component = await publishComponent(server, token, `Queued Sync ${tag}`, 'PROCESS');
      await signIn(page, token);
      await addPackAt(page, `Queued Look ${tag}`, 'Single Attachment');
      await addComponents(page, component.name, [component.name]);
      await context.setOffline(true);
      await expect(syncStatus(page)).toHaveText(/^Offline/);
      await page.getByLabel('Description').fill('Edited offline.');
      await page.getByRole('button', { name: 'Save' }).click();
      await expect(syncStatus(page)).toHaveText('Offline — 1 change not yet synced');
      await page.getByRole('button', { name: 'Release Integration Pack' }).click();
      await page.getByRole('dialog', { name: 'Integration Pack Release' }).getByRole('button', { name: 'OK' }).click();
      const queued = page.getByRole('status').filter({ hasText: 'Queued — will run when back online' });
      await expect(queued).toBeVisible();
      await expect(queued).not.toHaveCSS('color', GREEN);
      await fullShot(page, `wording-${viewport.name}-offline-queued`);
      await expectNoSeriousViolations(page, `wording-${viewport.name}-offline-queued`);
      await context.setOffline(false);
      await expect(syncStatus(page)).toHaveText('Saved', { timeout: 10_000 });
    });
  });
}
