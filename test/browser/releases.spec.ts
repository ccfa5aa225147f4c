/**
 * Releases across people: an admin releases an integration pack, a managed account's user installs
 * it on their own page (/managed), the admin releases an update pending with a date, the managed user
 * sees the Pending Version and its date and applies it early; the admin sees it in Rollout and
 * History. Deleting the pack removes it from a second admin's list at once and from the managed
 * account. The real server and the built PWA; the managed user signs in with a managed token.
 */
import { formatDate } from '../../shared/date-format.ts';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import {
  addComponents,
  addPack,
  adminToken,
  DEMO,
  deviceOptions,
  packOption,
  publishComponent,
  publishVersion,
  screenshot,
  signIn,
  unique,
  utcDatePlus,
} from './page-helpers.ts';

const MANAGED_ACCOUNT = 'demo-m3';
/** The demo account writes dates in UTC, en-US (shared/date-format.ts). */
const UTC = { timeZone: 'UTC', locale: 'en-US' };

async function signInManaged(page: Page, token: string) {
  await page.goto('/');
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/managed$/);
  await expect(page.getByRole('heading', { name: 'Installed integration packs' })).toBeVisible();
}

/** The managed page's row of an installed pack. */
const installedRow = (page: Page, name: string) =>
  page
    .getByRole('table')
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name, exact: true }) });

test('release pending, apply early in the managed account, delete removes the pack everywhere', async ({ page, browser, server }) => {
  // Three people signed in, two releases, a delete: more than the default 30 s on two shared cores.
  test.setTimeout(90_000);
  const tag = unique();
  const name = `Rollout ${tag}`;
  const admin = adminToken(server, 0);
  const managedToken = server.tokens[DEMO]?.managed[MANAGED_ACCOUNT]?.[0];
  if (!managedToken) throw new Error(`No managed token for ${MANAGED_ACCOUNT} in demo-tokens.json.`);
  const component = await publishComponent(server, admin, `Rollout Sync ${tag}`, 'PROCESS');

  await test.step('an admin adds the pack and releases it immediately', async () => {
    await signIn(page, admin);
    await addPack(page, name, 'Single Attachment');
    await addComponents(page, component.name, [component.name]);
    await page.getByRole('button', { name: 'Release Integration Pack' }).click();
    const dialog = page.getByRole('dialog', { name: 'Integration Pack Release' });
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expect(dialog).toBeHidden();
  });

  const managedContext = await browser.newContext(deviceOptions());
  const managed = await managedContext.newPage();
  await test.step('a managed-account user installs it from their own page', async () => {
    await signInManaged(managed, managedToken);
    await managed.getByRole('button', { name: `Install ${name}`, exact: true }).click();
    await expect(installedRow(managed, name)).toBeVisible();
    await expect(installedRow(managed, name).getByRole('cell').nth(0)).toHaveText('1');
    // Single attachment: once per account.
    await expect(managed.getByRole('button', { name: `${name} installed`, exact: true })).toBeDisabled();
  });

  const date = utcDatePlus(3);
  const shownDate = formatDate(date, UTC);
  await test.step('the admin releases an update pending until a date', async () => {
    await publishVersion(server, admin, component.id);
    await page.getByRole('button', { name: 'Release Integration Pack' }).click();
    const dialog = page.getByRole('dialog', { name: 'Integration Pack Release' });
    await dialog.getByRole('radio', { name: 'Release Pending' }).check();
    await dialog.getByLabel('Release Date').fill(date);
    await expect(dialog.getByText('Offered as a pending update to 1 instance in 1 managed account')).toBeVisible();
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expect(dialog).toBeHidden();
    const rollout = page.getByRole('region', { name: 'Rollout' });
    await expect(rollout.getByText(`Update pending until ${shownDate}`)).toBeVisible();
  });

  await test.step('the managed user sees the Pending Version and its date, and applies it early', async () => {
    await managed.reload();
    const row = installedRow(managed, name);
    const cells = row.getByRole('cell');
    await expect(cells.nth(0)).toHaveText('1');
    await expect(cells.nth(1)).toHaveText('2');
    await expect(cells.nth(2)).toHaveText(shownDate);
    await screenshot(managed, 'managed-1-pending');
    await row.getByRole('button', { name: `Apply update to ${name}` }).click();
    const confirm = managed.getByRole('dialog', { name: 'Apply update' });
    await expect(confirm.getByText('Applying an update cannot be undone.')).toBeVisible();
    await confirm.getByRole('button', { name: 'OK' }).click();
    await expect(confirm).toBeHidden();
    await expect(managed.getByText(`${name} in Fabrikam Health now runs version 2.`)).toBeVisible();
    await expect(row.getByRole('cell').nth(0)).toHaveText('2');
    // Empty now; a phone's card leaves an empty field out, so the cell is found by its column, not by its place.
    await expect(row.locator('td[data-label="Pending Version"]')).toHaveText('');
    await expect(row.getByRole('button', { name: `Apply update to ${name}` })).toHaveCount(0);
  });

  await test.step("the admin's Rollout and History show it", async () => {
    const rollout = page.getByRole('region', { name: 'Rollout' });
    await expect(rollout.getByRole('row').filter({ hasText: 'Fabrikam Health' })).toContainText('Up to date');
    const history = page.getByRole('region', { name: 'History' });
    await expect(history.getByText(`Apply update to ${name} in Fabrikam Health`)).toBeVisible();
    await expect(history.getByText(`Release Pending on ${shownDate} of ${name}`)).toBeVisible();
    await rollout.scrollIntoViewIfNeeded();
    await screenshot(page, 'releases-rollout-history');
  });

  const secondContext = await browser.newContext(deviceOptions());
  const second = await secondContext.newPage();
  await test.step('deleting the pack removes it from a second admin and from the managed account', async () => {
    await signIn(second, adminToken(server, 1));
    await expect(packOption(second, name)).toBeVisible();
    await page.getByRole('button', { name: 'Delete Integration Pack' }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete Integration Pack' });
    await confirm.getByRole('button', { name: 'OK' }).click();
    await expect(confirm).toBeHidden();
    await expect(packOption(page, name)).toHaveCount(0);
    await expect(packOption(second, name)).toHaveCount(0);
    await managed.reload();
    await expect(managed.getByRole('heading', { name: 'Installed integration packs' })).toBeVisible();
    await expect(installedRow(managed, name)).toHaveCount(0);
    await expect(managed.getByRole('button', { name: new RegExp(`^(Install ${name}|${name} installed)$`) })).toHaveCount(0);
  });

  await managedContext.close();
  await secondContext.close();
});
