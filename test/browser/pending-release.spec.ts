/**
 * Issue 16 item 5: a release pending its date can be rescheduled or cancelled from the page, with
 * the server's rules (a new date after today; no cancelling once an installation applied it early),
 * and both are audited in History. The same commands are in the API (h17's REST tests).
 */
import { formatDate } from '../../shared/date-format.ts';
import type { Page } from '@playwright/test';
import { addPackAt, expectNoSeriousViolations, fullShot, runCommand, VIEWPORTS } from './admin-helpers.ts';
import { expect, type RunningServer, test } from './fixtures.ts';
import { addComponents, adminToken, publishComponent, publishVersion, signIn, unique, utcDatePlus } from './page-helpers.ts';

const section = (page: Page) => page.getByRole('region', { name: 'Pending release' });
const history = (page: Page) => page.getByRole('region', { name: 'History' });

async function releasedPackWithInstall(page: Page, server: RunningServer, token: string, tag: string) {
  const component = await publishComponent(server, token, `Resched Sync ${tag}`, 'PROCESS');
  await signIn(page, token);
  const name = `Resched ${tag}`;
  const packId = await addPackAt(page, name, 'Single Attachment');
  await addComponents(page, component.name, [component.name]);
  await page.getByRole('button', { name: 'Release Integration Pack' }).click();
  await page.getByRole('dialog', { name: 'Integration Pack Release' }).getByRole('button', { name: 'OK' }).click();
  // Released once the server says so (the field shows the date): an INSTALL sent before then is refused as NOT_RELEASED.
  await expect(page.getByRole('dialog', { name: 'Integration Pack Release' })).toBeHidden();
  await expect(page.getByLabel('Release date', { exact: true })).not.toHaveValue('Not released yet');
  const installed = await runCommand(server.baseURL, token, { type: 'INSTALL', packId, managedAccountId: 'demo-m2' });
  await publishVersion(server, token, component.id);
  const release = page.getByRole('dialog', { name: 'Integration Pack Release' });
  await page.getByRole('button', { name: 'Release Integration Pack' }).click();
  await release.getByRole('radio', { name: 'Release Pending' }).check();
  await release.getByLabel('Release Date').fill(utcDatePlus(3));
  await release.getByRole('button', { name: 'OK' }).click();
  await expect(release).toBeHidden();
  return { name, packId, instanceId: installed.instanceId! };
}

for (const viewport of VIEWPORTS) {
  test.describe(`at ${viewport.width}x${viewport.height}`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test('reschedule, then cancel the pending release; both in History', async ({ page, server }) => {
      const token = adminToken(server, 0);
      const { name } = await releasedPackWithInstall(page, server, token, unique());
      await expect(section(page)).toContainText('Release 2 is pending until');
      await expect(section(page)).toContainText('(UTC): 1 installation has not applied it yet.');

      await section(page).getByRole('button', { name: 'Reschedule' }).click();
      const dialog = page.getByRole('dialog', { name: 'Reschedule release 2' });
      const date = dialog.getByLabel('Release Date');
      await expect(dialog.getByRole('button', { name: 'OK' })).toBeDisabled();
      await date.fill(utcDatePlus(0));
      await expect(dialog.getByRole('alert')).toContainText('must be after today');
      await expect(dialog.getByRole('button', { name: 'OK' })).toBeDisabled();
      await date.fill(utcDatePlus(6));
      await fullShot(page, `pending-release-${viewport.name}-reschedule`);
      await expectNoSeriousViolations(page, `pending-release-${viewport.name}-reschedule`);
      await dialog.getByRole('button', { name: 'OK' }).click();
      await expect(dialog).toBeHidden();
      await expect(
        page
          .getByRole('status')
          .filter({ hasText: `${name} release 2 is pending until ${formatDate(utcDatePlus(6), { timeZone: 'UTC', locale: 'en-US' })}` }),
      ).toBeVisible();
      await expect(page.getByLabel('Release date')).toHaveValue(formatDate(utcDatePlus(6), { timeZone: 'UTC', locale: 'en-US' }));
      await expect(history(page)).toContainText(`the pending release of ${name}`);

      await section(page).getByRole('button', { name: 'Cancel pending release' }).click();
      const confirm = page.getByRole('dialog', { name: 'Cancel pending release' });
      await expect(confirm).toContainText('The 1 installation waiting for it keep the release they run.');
      await expect(confirm.getByRole('button', { name: 'OK' })).toHaveCSS('background-color', 'rgb(180, 35, 24)');
      await fullShot(page, `pending-release-${viewport.name}-cancel`);
      await expectNoSeriousViolations(page, `pending-release-${viewport.name}-cancel`);
      await confirm.getByRole('button', { name: 'OK' }).click();
      await expect(confirm).toBeHidden();
      await expect(section(page)).toHaveCount(0);
      await expect(page.getByRole('status').filter({ hasText: 'was cancelled' })).toBeVisible();
      await expect(history(page)).toContainText(`Cancel the pending release of ${name}`);
    });

    test('a pending release an installation applied early cannot be cancelled, and says why', async ({ page, server }) => {
      const token = adminToken(server, 0);
      const { instanceId } = await releasedPackWithInstall(page, server, token, unique());
      await runCommand(server.baseURL, token, { type: 'APPLY_UPDATE', instanceId });
      const cancel = section(page).getByRole('button', { name: 'Cancel pending release' });
      await expect(cancel).toBeDisabled();
      await expect(cancel).toHaveAccessibleDescription(/already applied release 2 early/);
      await expect(section(page).getByRole('button', { name: 'Reschedule' })).toBeEnabled();
      await fullShot(page, `pending-release-${viewport.name}-applied-early`);
      await expectNoSeriousViolations(page, `pending-release-${viewport.name}-applied-early`);
    });
  });
}
