/**
 * Issue 16 item 13 (release notes): written in the release dialog (checked as typed), kept with the
 * release (the server's releases table, projected into the document), and shown in History, in
 * Rollout and on the managed page (the pending update's row, Apply update, Install an integration
 * pack). Notes changed through UPDATE_RELEASE (the API) reach the open page live. The extension's
 * reminder is in extension.spec.ts.
 */
import type { Page } from '@playwright/test';
import { RELEASE_NOTES_MAX } from '../../shared/release-notes.ts';
import { addPackAt, expectNoSeriousViolations, fullShot, runCommand, VIEWPORTS } from './admin-helpers.ts';
import { expect, test } from './fixtures.ts';
import { addComponents, adminToken, DEMO, publishComponent, publishVersion, signIn, unique, utcDatePlus } from './page-helpers.ts';

const dialog = (page: Page) => page.getByRole('dialog', { name: 'Integration Pack Release' });

for (const viewport of VIEWPORTS) {
  test.describe(`at ${viewport.width}x${viewport.height}`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test('release notes are written in the dialog and shown in History, Rollout and the managed page', async ({
      page,
      browser,
      server,
    }) => {
      test.setTimeout(90_000);
      const token = adminToken(server, 0);
      const tag = unique();
      const component = await publishComponent(server, token, `Noted Sync ${tag}`, 'PROCESS');
      await signIn(page, token);
      const name = `Noted ${tag}`;
      const packId = await addPackAt(page, name, 'Single Attachment');
      await addComponents(page, component.name, [component.name]);

      await page.getByRole('button', { name: 'Release Integration Pack' }).click();
      const notes = dialog(page).getByLabel('Release notes');
      await notes.fill('x'.repeat(RELEASE_NOTES_MAX + 1));
      await expect(dialog(page).getByRole('alert')).toContainText(`up to ${RELEASE_NOTES_MAX} characters`);
      await expect(dialog(page).getByRole('button', { name: 'OK' })).toBeDisabled();
      await notes.fill('First cut: orders only.');
      await expect(dialog(page).getByRole('button', { name: 'OK' })).toBeEnabled();
      await dialog(page).getByRole('button', { name: 'OK' }).click();
      await expect(dialog(page)).toBeHidden();
      const history = page.getByRole('region', { name: 'History' });
      await expect(history.getByText('Release notes: First cut: orders only.')).toBeVisible();

      await runCommand(server.baseURL, token, { type: 'INSTALL', packId, managedAccountId: 'demo-m2' });
      await publishVersion(server, token, component.id);
      await page.getByRole('button', { name: 'Release Integration Pack' }).click();
      await dialog(page).getByRole('radio', { name: 'Release Pending' }).check();
      await dialog(page).getByLabel('Release Date').fill(utcDatePlus(3));
      await dialog(page).getByLabel('Release notes').fill('Retries NetSuite calls.');
      await expectNoSeriousViolations(page, 'in Integration Pack Release with notes');
      await fullShot(page, `release-notes-${viewport.name}-dialog`);
      await dialog(page).getByRole('button', { name: 'OK' }).click();
      await expect(dialog(page)).toBeHidden();

      const rollout = page.getByRole('region', { name: 'Rollout' });
      await expect(rollout.getByRole('term').filter({ hasText: 'Release 2 notes' })).toBeVisible();
      await expect(rollout.getByRole('definition').filter({ hasText: 'Retries NetSuite calls.' })).toBeVisible();
      await expect(rollout.getByRole('definition').filter({ hasText: 'First cut: orders only.' })).toBeVisible();
      await expect(history.getByText('Release notes: Retries NetSuite calls.')).toBeVisible();
      await expectNoSeriousViolations(page, 'with release notes in Rollout and History');
      await fullShot(page, `release-notes-${viewport.name}-page`);

      // Changed through the API while the release is pending: the open page follows.
      const changed = await runCommand(server.baseURL, token, { type: 'UPDATE_RELEASE', packId, notes: 'Retries NetSuite calls 3 times.' });
      expect(changed.status).toBe('SUCCESS');
      await expect(rollout.getByRole('definition').filter({ hasText: 'Retries NetSuite calls 3 times.' })).toBeVisible();
      await expect(history.getByText('Release notes: Retries NetSuite calls 3 times.')).toBeVisible();

      // And from the page: Edit release notes of the pending release, checked as typed.
      const pendingSection = page.getByRole('region', { name: 'Pending release' });
      await pendingSection.getByRole('button', { name: 'Edit release notes' }).click();
      const edit = page.getByRole('dialog', { name: 'Release notes of release 2' });
      const field = edit.getByLabel('Release notes');
      await expect(field).toHaveValue('Retries NetSuite calls 3 times.');
      await expect(edit.getByRole('button', { name: 'OK' })).toBeDisabled();
      await field.fill('x'.repeat(RELEASE_NOTES_MAX + 1));
      await expect(edit.getByRole('alert')).toContainText(`up to ${RELEASE_NOTES_MAX} characters`);
      await expect(edit.getByRole('button', { name: 'OK' })).toBeDisabled();
      await field.fill('Retries NetSuite calls twice.');
      await expectNoSeriousViolations(page, 'in Release notes of release 2');
      await fullShot(page, `release-notes-${viewport.name}-edit`);
      await edit.getByRole('button', { name: 'OK' }).click();
      await expect(edit).toBeHidden();
      await expect(page.getByRole('status').filter({ hasText: 'Its release notes changed.' })).toBeVisible();
      await expect(rollout.getByRole('definition').filter({ hasText: 'Retries NetSuite calls twice.' })).toBeVisible();
      await expect(history.getByText('Release notes: Retries NetSuite calls twice.')).toBeVisible();
      await expect(history.getByText('Change the release notes of the pending release of').first()).toBeVisible();

      const managedToken = server.tokens[DEMO]?.managed['demo-m2']?.[0];
      if (!managedToken) throw new Error('No managed token for demo-m2.');
      const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
      const managed = await context.newPage();
      await managed.goto(server.baseURL);
      await managed.getByLabel('Token').fill(managedToken);
      await managed.getByRole('button', { name: 'Sign in' }).click();
      const row = managed.getByRole('row').filter({ has: managed.getByRole('rowheader', { name, exact: true }) });
      await expect(row).toContainText('Release notes: Retries NetSuite calls twice.');
      const installable = managed
        .getByRole('region', { name: 'Install an integration pack' })
        .getByRole('listitem')
        .filter({ hasText: name });
      await expect(installable).toContainText('Version 1');
      await expect(installable).toContainText('Release notes: First cut: orders only.');
      await expectNoSeriousViolations(managed, 'on the managed page with release notes');
      await row.getByRole('button', { name: `Apply update to ${name}` }).click();
      await expect(managed.getByRole('dialog', { name: 'Apply update' })).toContainText('Release notes: Retries NetSuite calls twice.');
      await fullShot(managed, `release-notes-${viewport.name}-managed`);
      await context.close();
    });
  });
}
