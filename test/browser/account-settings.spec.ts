/**
 * Issue 16 item 6: the publisher's time zone is always in view and an admin sets it (and the date
 * format) in Account settings, through the one command path (SET_ACCOUNT_SETTINGS, audited). Every
 * date and time then states that zone: the pending release, the release dialog, Rollout, History and
 * the managed page. A viewer sees the settings and cannot change them.
 *
 * The worker's server is shared by the specs of that worker: each test puts the demo account back on
 * UTC / en-US when it ends.
 */
import type { Page } from '@playwright/test';
import { formatDate } from '../../shared/date-format.ts';
import { expectNoSeriousViolations, fullShot, openPack, runCommand, VIEWPORTS } from './admin-helpers.ts';
import { expect, type RunningServer, test } from './fixtures.ts';
import { adminToken, DEMO, publishComponent, publishVersion, signIn, unique, utcDatePlus } from './page-helpers.ts';

const PARIS = { timeZone: 'Europe/Paris', locale: 'en-GB' };
const MANAGED_ACCOUNT = 'demo-m2';

const settingsButton = (page: Page) => page.getByRole('button', { name: /^Account settings, Time zone / });

/** A pack on release 1 installed in demo-m2, with release 2 pending until `date` (all through the API). */
async function packWithPendingUpdate(server: RunningServer, token: string, date: string) {
  const tag = unique();
  const component = await publishComponent(server, token, `Zone Sync ${tag}`, 'PROCESS');
  const name = `Zone ${tag}`;
  await runCommand(server.baseURL, token, { type: 'CREATE_PACK', name, installationType: 'SINGLE', componentIds: [component.id] });
  // A command result names no new pack id: the summary lists the new pack (it has something to release).
  const summary = (await (
    await fetch(`${server.baseURL}/api/accounts/${DEMO}/summary`, { headers: { Authorization: `Bearer ${token}` } })
  ).json()) as { packs: { packId: string; packName: string }[] };
  const packId = summary.packs.find((pack) => pack.packName === name)!.packId;
  await runCommand(server.baseURL, token, { type: 'RELEASE', packId, releaseSchedule: 'IMMEDIATELY' });
  await runCommand(server.baseURL, token, { type: 'INSTALL', packId, managedAccountId: MANAGED_ACCOUNT });
  await publishVersion(server, token, component.id);
  await runCommand(server.baseURL, token, { type: 'RELEASE', packId, releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: date });
  return { name, packId, componentId: component.id };
}

const backToUtc = (server: RunningServer) =>
  runCommand(server.baseURL, adminToken(server, 0), { type: 'SET_ACCOUNT_SETTINGS', timeZone: 'UTC', locale: 'en-US' }).catch(
    () => undefined,
  );

for (const viewport of VIEWPORTS) {
  test.describe(`at ${viewport.width}x${viewport.height}`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test('an admin sets the time zone and date format; every date on the page and the managed page states it', async ({
      page,
      browser,
      server,
    }) => {
      test.setTimeout(90_000);
      const token = adminToken(server, 0);
      const date = utcDatePlus(4);
      const { name, componentId } = await packWithPendingUpdate(server, token, date);
      try {
        await signIn(page, token);
        await expect(settingsButton(page)).toHaveAccessibleName('Account settings, Time zone UTC');
        await expect(settingsButton(page)).toBeVisible();

        await settingsButton(page).click();
        const dialog = page.getByRole('dialog', { name: 'Account settings' });
        await expect(dialog.getByLabel('Time zone')).toHaveValue('UTC');
        await expect(dialog.getByRole('button', { name: 'OK' })).toBeDisabled();
        await dialog.getByLabel('Time zone').selectOption('Europe/Paris');
        await dialog.getByLabel('Date and time format').selectOption({ label: 'English (United Kingdom)' });
        await expect(dialog.getByText(/^Now: .+ \(Europe\/Paris\); a Release Date: .+ \(Europe\/Paris\)$/)).toBeVisible();
        await expectNoSeriousViolations(page, 'in Account settings');
        await fullShot(page, `account-settings-${viewport.name}-dialog`);
        await dialog.getByRole('button', { name: 'OK' }).click();
        await expect(dialog).toBeHidden();
        await expect(page.getByRole('status').filter({ hasText: 'the time zone is Europe/Paris (was UTC)' })).toBeVisible();
        await expect(settingsButton(page)).toHaveAccessibleName('Account settings, Time zone Europe/Paris');

        await openPack(page, name);
        const shown = formatDate(date, PARIS);
        await expect(page.getByLabel('Release date')).toHaveValue(shown);
        await expect(page.getByRole('region', { name: 'Pending release' })).toContainText(`Release 2 is pending until ${shown}`);
        const rollout = page.getByRole('region', { name: 'Rollout' });
        await expect(rollout).toContainText(`Release 2 pending until ${shown}`);
        await expect(rollout.getByRole('row').filter({ hasText: 'Contoso Retail' })).toContainText(`Update pending until ${shown}`);
        const history = page.getByRole('region', { name: 'History' });
        await expect(history.getByRole('listitem').first().locator('time')).toHaveText(/ \(Europe\/Paris\)$/);
        await expect(history.getByRole('listitem').first().locator('time')).toHaveText(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} /);

        await publishVersion(server, token, componentId);
        await page.getByRole('button', { name: 'Release Integration Pack' }).click();
        const release = page.getByRole('dialog', { name: 'Integration Pack Release' });
        await expect(release).toContainText(`pending until ${shown}`);
        await release.getByRole('button', { name: 'Cancel' }).click();
        await fullShot(page, `account-settings-${viewport.name}-dates`);

        const managedToken = server.tokens[DEMO]?.managed[MANAGED_ACCOUNT]?.[0];
        if (!managedToken) throw new Error(`No managed token for ${MANAGED_ACCOUNT}.`);
        const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
        const managed = await context.newPage();
        await managed.goto(server.baseURL);
        await managed.getByLabel('Token').fill(managedToken);
        await managed.getByRole('button', { name: 'Sign in' }).click();
        await expect(managed).toHaveURL(/\/managed$/);
        const row = managed.getByRole('row').filter({ has: managed.getByRole('rowheader', { name, exact: true }) });
        await expect(row.getByRole('cell').nth(2)).toHaveText(shown);
        await fullShot(managed, `account-settings-${viewport.name}-managed`);
        await context.close();
      } finally {
        await backToUtc(server);
      }
    });

    test('a viewer sees the time zone and the settings, and cannot change them', async ({ page, server }) => {
      const viewer = server.tokens[DEMO]?.viewer[0];
      if (!viewer) throw new Error('No viewer token.');
      await page.goto('/');
      await page.getByLabel('Token').fill(viewer);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await settingsButton(page).click();
      const dialog = page.getByRole('dialog', { name: 'Account settings' });
      await expect(dialog.getByLabel('Time zone')).toBeDisabled();
      await expect(dialog.getByLabel('Date and time format')).toBeDisabled();
      await expect(dialog.getByText('Only admins can change the account settings.')).toBeVisible();
      await expect(dialog.getByRole('button', { name: 'OK' })).toBeDisabled();
      await expectNoSeriousViolations(page, 'in Account settings as a viewer');
    });
  });
}
