/**
 * The Integration Packs page, end to end through the real server, by accessible names only: sign in,
 * add a pack of each type, describe it, save, add components through the filter, release
 * immediately, read the version columns, see a newly published version appear as Available without
 * a reload, and release pending with a date.
 */
import { formatDate } from '../../shared/date-format.ts';
import { expect, test } from './fixtures.ts';
import {
  addPack,
  adminToken,
  expectOpened,
  expectVersions,
  inList,
  onPhone,
  packOption,
  publicationRow,
  publications,
  publishComponent,
  publishVersion,
  screenshot,
  signIn,
  unique,
  utcDatePlus,
} from './page-helpers.ts';

test('add, describe, fill, release and re-release integration packs of both types', async ({ page, server }) => {
  const token = adminToken(server);
  const tag = unique();
  const sync = await publishComponent(server, token, `Ledger Sync ${tag}`, 'PROCESS');
  await publishComponent(server, token, `Ledger Audit ${tag}`, 'PROCESS');
  await publishComponent(server, token, `Ledger Lookup API ${tag}`, 'API_SERVICE');

  await test.step('sign in', async () => {
    await signIn(page, token);
    await expect(page.getByRole('heading', { name: 'Integration Packs', exact: true }).first()).toBeVisible();
    await screenshot(page, 'desktop-1-list');
  });

  const single = `Ledger Bridge ${tag}`;
  await test.step('add a Single Attachment pack with a description', async () => {
    await page.getByRole('button', { name: 'Add Integration Pack' }).click();
    await expect(page).toHaveURL(/\/packs\/new$/);
    await page.getByLabel('Integration Pack Name').fill(single);
    await expect(page.getByRole('radio', { name: 'Single Attachment' })).toBeChecked();
    const description = 'Posts ledger entries to the ERP every night.';
    await page.getByLabel('Description').fill(description);
    await expect(page.getByText(`${description.length} / 500`)).toBeVisible();
    await page.getByRole('button', { name: 'Save' }).click();
    await expectOpened(page, single);
    // Fixed once added.
    await expect(page.getByRole('radio', { name: 'Single Attachment' })).toBeDisabled();
    await expect(page.getByRole('radio', { name: 'Multiple Attachments' })).toBeDisabled();
    await expect(page.getByLabel('Release date')).toHaveValue('Not released yet');
    await expect(page.getByRole('button', { name: 'Release Integration Pack' })).toBeDisabled();
  });

  await test.step('a description over 500 characters is refused inline', async () => {
    await page.getByLabel('Description').fill('x'.repeat(501));
    await expect(page.getByText('501 / 500')).toBeVisible();
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText(/can contain up to 500 characters/)).toBeVisible();
    await page.getByLabel('Description').fill('Posts ledger entries to the ERP.');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText(/can contain up to 500 characters/)).toBeHidden();
    await expect(page.getByRole('button', { name: 'Save' })).toBeDisabled();
  });

  await test.step('add components through the filter', async () => {
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Published Components' });
    await expect(dialog.getByLabel('Filter Components')).toBeFocused();
    // Partial match as you type: the tag matches our three components and nothing of the seed.
    await dialog.getByLabel('Filter Components').fill(tag);
    await expect(dialog.getByRole('group', { name: 'Components' }).getByRole('checkbox')).toHaveCount(3);
    await dialog.getByLabel('Filter Components').fill(`dger Sy`);
    await expect(dialog.getByRole('checkbox', { name: `Ledger Sync ${tag}` })).toBeVisible();
    await expect(dialog.getByRole('checkbox', { name: `Ledger Audit ${tag}` })).toBeHidden();
    await dialog.getByRole('button', { name: 'Clear filters' }).click();
    await expect(dialog.getByLabel('Filter Components')).toHaveValue('');
    await dialog.getByLabel('Filter Components').fill(tag);
    await dialog.getByRole('checkbox', { name: `Ledger Sync ${tag}` }).check();
    await dialog.getByRole('checkbox', { name: `Ledger Lookup API ${tag}` }).check();
    await screenshot(page, 'desktop-3-published-components');
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expect(dialog).toBeHidden();
    await expectVersions(page, `Ledger Sync ${tag}`, { type: 'Process', current: '', pending: '1', available: '' });
    await expectVersions(page, `Ledger Lookup API ${tag}`, { type: 'API Service', current: '', pending: '1', available: '' });
  });

  await test.step('release immediately and read the version columns', async () => {
    await page.getByRole('button', { name: 'Release Integration Pack' }).click();
    const dialog = page.getByRole('dialog', { name: 'Integration Pack Release' });
    await expect(dialog.getByRole('radio', { name: 'Release Immediate' })).toBeChecked();
    await expect(dialog.getByLabel('Release Date')).toBeDisabled();
    await expect(dialog.getByText(`Adds Ledger Sync ${tag}, version 1`)).toBeVisible();
    await screenshot(page, 'desktop-4-release');
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expect(dialog).toBeHidden();
    await expectVersions(page, `Ledger Sync ${tag}`, { type: 'Process', current: '1', pending: '', available: '' });
    await expectVersions(page, `Ledger Lookup API ${tag}`, { type: 'API Service', current: '1', pending: '', available: '' });
    await expect(page.getByLabel('Release date')).toHaveValue(formatDate(utcDatePlus(0), { timeZone: 'UTC', locale: 'en-US' }));
    await expect(page.getByRole('button', { name: 'Release Integration Pack' })).toBeDisabled();
  });

  await test.step('a newer published version shows as Available without a reload', async () => {
    await publishVersion(server, token, sync.id);
    await expectVersions(page, `Ledger Sync ${tag}`, { type: 'Process', current: '1', pending: '', available: '2' });
    await expect(page.getByRole('button', { name: 'Release Integration Pack' })).toBeEnabled();
    await screenshot(page, 'desktop-2-details');
  });

  await test.step('remove a component: its row shows Deleted until the next release', async () => {
    await page.getByRole('radio', { name: `Ledger Lookup API ${tag}` }).check();
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove Component' });
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expect(dialog).toBeHidden();
    await expectVersions(page, `Ledger Lookup API ${tag}`, { type: 'API Service', current: '1', pending: 'Deleted', available: '' });
  });

  await test.step('release pending with a date', async () => {
    const date = utcDatePlus(3);
    await page.getByRole('button', { name: 'Release Integration Pack' }).click();
    const dialog = page.getByRole('dialog', { name: 'Integration Pack Release' });
    await dialog.getByRole('radio', { name: 'Release Pending' }).check();
    const dateInput = dialog.getByLabel('Release Date');
    await expect(dateInput).toBeEnabled();
    await expect(dateInput).toHaveAttribute('min', utcDatePlus(1));
    await dateInput.fill(date);
    await expect(dialog.getByText(`Updates Ledger Sync ${tag} from version 1 to 2`)).toBeVisible();
    await expect(dialog.getByText(`Removes Ledger Lookup API ${tag} (version 1)`)).toBeVisible();
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByLabel('Release date')).toHaveValue(formatDate(date, { timeZone: 'UTC', locale: 'en-US' }));
    await expect(publicationRow(page, `Ledger Lookup API ${tag}`)).toHaveCount(0);
    await expectVersions(page, `Ledger Sync ${tag}`, { type: 'Process', current: '2', pending: '', available: '' });
  });

  const multi = `Ledger Fleet ${tag}`;
  await test.step('add a Multiple Attachments pack: API Service components are refused with the reason', async () => {
    await addPack(page, multi, 'Multiple Attachments', 'One instance per region.');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Published Components' });
    await dialog.getByLabel('Filter Components').fill(tag);
    await expect(dialog.getByRole('checkbox', { name: `Ledger Lookup API ${tag}` })).toBeDisabled();
    await expect(dialog.getByText('Multi-install integration packs cannot include API Service components')).toBeVisible();
    await dialog.getByRole('checkbox', { name: `Ledger Audit ${tag}` }).check();
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expectVersions(page, `Ledger Audit ${tag}`, { type: 'Process', current: '', pending: '1', available: '' });
    // Already in the pack: shown checked and disabled the next time.
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await dialog.getByLabel('Filter Components').fill(tag);
    await expect(dialog.getByRole('checkbox', { name: `Ledger Audit ${tag}` })).toBeChecked();
    await expect(dialog.getByRole('checkbox', { name: `Ledger Audit ${tag}` })).toBeDisabled();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
  });

  await test.step('delete a pack after a confirmation that says what deletion does', async () => {
    await page.getByRole('button', { name: 'Delete Integration Pack' }).click();
    const dialog = page.getByRole('dialog', { name: 'Delete Integration Pack' });
    await expect(dialog).toContainText(`Delete ${multi}?`);
    await expect(dialog).toContainText('not installed in any managed account');
    await screenshot(page, 'desktop-5-delete');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await inList(page, (list) => expect(list.getByRole('option', { name: multi, exact: true })).toBeVisible());
    await page.getByRole('button', { name: 'Delete Integration Pack' }).click();
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expect(packOption(page, multi)).toHaveCount(0);
    await expect(page).toHaveURL(/\/packs$/);
  });

  await expect(publications(page)).toHaveCount(0);
});

test('a narrow screen shows the list and the details as two views with a way back', async ({ page, server }) => {
  test.skip(onPhone(), 'it sets the phone size itself: the desktop project runs it');
  await page.setViewportSize({ width: 375, height: 812 });
  await signIn(page, adminToken(server, 1));
  await screenshot(page, 'mobile-1-list');
  await packOption(page, 'Salesforce to NetSuite').click();
  await expect(page).toHaveURL(/\/packs\/[^/]+$/);
  await expect(page.getByRole('listbox', { name: 'Integration Packs' })).toBeHidden();
  await expect(page.getByLabel('Integration Pack Name')).toHaveValue('Salesforce to NetSuite');
  await expect(publications(page).getByRole('columnheader')).toHaveText([
    'Component Name',
    'Component Type',
    'Current Version',
    'Pending Version',
    'Available Version',
  ]);
  await screenshot(page, 'mobile-2-details');
  await publications(page).getByRole('row').last().scrollIntoViewIfNeeded();
  await screenshot(page, 'mobile-2b-publications');
  await page.getByRole('button', { name: 'Release Integration Pack' }).click();
  await screenshot(page, 'mobile-3-release');
  await page.keyboard.press('Escape');
  await page.getByRole('link', { name: 'Back to Integration Packs' }).click();
  await expect(packOption(page, 'Salesforce to NetSuite')).toBeVisible();
});

test('a viewer sees the packs and can change nothing', async ({ page, server }) => {
  const viewer = server.tokens.demo?.viewer[0];
  if (!viewer) throw new Error('No viewer token for demo in demo-tokens.json.');
  await signIn(page, viewer);
  await expect(page.getByRole('button', { name: 'Add Integration Pack' })).toBeDisabled();
  await packOption(page, 'Salesforce to NetSuite').click();
  await expect(page.getByLabel('Integration Pack Name')).toBeDisabled();
  await expect(page.getByLabel('Description')).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Delete Integration Pack' })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Add', exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Release Integration Pack' })).toBeDisabled();
  await expect(publications(page).getByRole('rowheader')).toHaveCount(3);
});

test('without the multi-install feature there is no Integration Pack Type list; a missing name is refused inline', async ({
  page,
  server,
}) => {
  await signIn(page, adminToken(server, 0, 'acme'));
  await page.getByRole('button', { name: 'Add Integration Pack' }).click();
  await expect(page.getByLabel('Integration Pack Name')).toBeVisible();
  await expect(page.getByRole('group', { name: 'Integration Pack Type' })).toHaveCount(0);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Integration Pack Name is required.')).toBeVisible();
  await expect(page.getByLabel('Integration Pack Name')).toHaveAttribute('aria-invalid', 'true');
  const name = `Acme Pack ${unique()}`;
  await page.getByLabel('Integration Pack Name').fill(name);
  await page.getByRole('button', { name: 'Save' }).click();
  await expectOpened(page, name);
});

test('a big catalog shows the first 300 matches and asks for a narrower filter', async ({ page, server }) => {
  const token = adminToken(server);
  const tag = unique();
  const names = Array.from({ length: 305 }, (_, i) => `Bulk ${tag} ${String(i).padStart(3, '0')}`);
  for (let start = 0; start < names.length; start += 25)
    await Promise.all(names.slice(start, start + 25).map((name) => publishComponent(server, token, name, 'PROCESS')));

  await signIn(page, token);
  await addPack(page, `Bulk Pack ${tag}`, 'Single Attachment');
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Published Components' });
  await dialog.getByLabel('Filter Components').fill(`Bulk ${tag}`);
  await expect(dialog.getByText('305 components')).toBeVisible();
  await expect(dialog.getByRole('group', { name: 'Components' }).getByRole('checkbox')).toHaveCount(300);
  await expect(dialog.getByText('5 more — refine the filter')).toBeVisible();
  await dialog.getByLabel('Filter Components').fill(`Bulk ${tag} 30`);
  await expect(dialog.getByRole('group', { name: 'Components' }).getByRole('checkbox')).toHaveCount(5); // 300 … 304
  await expect(dialog.getByText(/more — refine the filter/)).toHaveCount(0);
  await dialog.getByRole('checkbox', { name: `Bulk ${tag} 304` }).check();
  await dialog.getByRole('button', { name: 'OK' }).click();
  await expectVersions(page, `Bulk ${tag} 304`, { type: 'Process', current: '', pending: '1', available: '' });
});
