/**
 * Issue 16 item 4: the Integration Pack Release dialog checks as the person chooses, with the same
 * shared rules as the server: a past or today's date is refused at once and OK stays disabled;
 * Release Pending is disabled, with its reason, while an update is pending; Release Immediate says
 * what it does to that pending update; a click anywhere in Release Date opens the calendar.
 */
import type { Page } from '@playwright/test';
import { addPackAt, expectNoSeriousViolations, fullShot, VIEWPORTS } from './admin-helpers.ts';
import { expect, test } from './fixtures.ts';
import { addComponents, adminToken, publishComponent, publishVersion, signIn, unique, utcDatePlus } from './page-helpers.ts';

const dialog = (page: Page) => page.getByRole('dialog', { name: 'Integration Pack Release' });

async function release(page: Page, date?: string) {
  await page.getByRole('button', { name: 'Release Integration Pack' }).click();
  if (date) {
    await dialog(page).getByRole('radio', { name: 'Release Pending' }).check();
    await dialog(page).getByLabel('Release Date').fill(date);
  }
  await dialog(page).getByRole('button', { name: 'OK' }).click();
  await expect(dialog(page)).toBeHidden();
}

for (const viewport of VIEWPORTS) {
  test.describe(`at ${viewport.width}x${viewport.height}`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test('a date that is not after today is refused as it is typed; a click opens the calendar', async ({ page, server }) => {
      const token = adminToken(server, 0);
      const tag = unique();
      const component = await publishComponent(server, token, `Dated Sync ${tag}`, 'PROCESS');
      await signIn(page, token);
      await addPackAt(page, `Dated ${tag}`, 'Single Attachment');
      await addComponents(page, component.name, [component.name]);

      // Count the calls of showPicker (the calendar itself is the browser's).
      await page.evaluate(() => {
        const calls = { count: 0 };
        (window as unknown as { pickerCalls: typeof calls }).pickerCalls = calls;
        HTMLInputElement.prototype.showPicker = () => {
          calls.count += 1;
        };
      });
      await page.getByRole('button', { name: 'Release Integration Pack' }).click();
      await dialog(page).getByRole('radio', { name: 'Release Pending' }).check();
      const date = dialog(page).getByLabel('Release Date');
      await date.click({ position: { x: 12, y: 10 } });
      expect(await page.evaluate(() => (window as unknown as { pickerCalls: { count: number } }).pickerCalls.count)).toBe(1);

      const ok = dialog(page).getByRole('button', { name: 'OK' });
      await expect(ok).toBeDisabled();
      await date.fill(utcDatePlus(0));
      await expect(dialog(page).getByRole('alert')).toContainText('The Release Date must be after today');
      await expect(date).toHaveAttribute('aria-invalid', 'true');
      await expect(ok).toBeDisabled();
      await expectNoSeriousViolations(page, 'in Integration Pack Release with a refused date');
      await fullShot(page, `release-dialog-${viewport.name}-past-date`);
      await date.fill(utcDatePlus(-5));
      await expect(ok).toBeDisabled();
      await date.fill(utcDatePlus(2));
      await expect(dialog(page).getByRole('alert')).toHaveCount(0);
      await expect(ok).toBeEnabled();
      await dialog(page).getByRole('button', { name: 'Cancel' }).click();
    });

    test('while an update is pending, Release Pending is disabled with the reason and Release Immediate says it replaces it', async ({
      page,
      server,
    }) => {
      const token = adminToken(server, 0);
      const tag = unique();
      const component = await publishComponent(server, token, `Pending Sync ${tag}`, 'PROCESS');
      await signIn(page, token);
      await addPackAt(page, `Pending ${tag}`, 'Single Attachment');
      await addComponents(page, component.name, [component.name]);
      await release(page);
      await publishVersion(server, token, component.id);
      const date = utcDatePlus(3);
      await release(page, date);
      await publishVersion(server, token, component.id);

      await expect(page.getByRole('button', { name: 'Release Integration Pack' })).toBeEnabled();
      await page.getByRole('button', { name: 'Release Integration Pack' }).click();
      const pending = dialog(page).getByRole('radio', { name: 'Release Pending' });
      await expect(pending).toBeDisabled();
      await expect(pending).toHaveAccessibleDescription(/Release Pending is not available: release 2 is already pending until .* \(UTC\)/);
      await expect(dialog(page).getByRole('radio', { name: 'Release Immediate' })).toHaveAccessibleDescription(
        /Release Immediate: release 2, pending until .* \(UTC\), is replaced: this release is applied at once to every installation, including those that have not applied release 2/,
      );
      await expect(dialog(page).getByRole('button', { name: 'OK' })).toBeEnabled();
      await expectNoSeriousViolations(page, 'in Integration Pack Release with Release Pending disabled');
      await fullShot(page, `release-dialog-${viewport.name}-pending-blocked`);
      await dialog(page).getByRole('button', { name: 'Cancel' }).click();
    });
  });
}
