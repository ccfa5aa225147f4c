/**
 * Two admins of one account, each in their own browser context: what one does appears in the other
 * without a reload, and each sees the other online and on which pack.
 */
import { expect, test } from './fixtures.ts';
import { addPack, inList, packOption, screenshot, syncStatus, twoAdmins, unique } from './page-helpers.ts';

test('an edit by one admin appears at the other without a reload; presence shows who is where', async ({ browser, server }) => {
  // Two browsers, and on a phone each list check goes back and forth between the two views.
  test.setTimeout(60_000);
  const { avery, blake, a, b } = await twoAdmins(browser, server);
  try {
    const tag = unique();
    const name = `Shared Pack ${tag}`;

    // Each sees the other online.
    await expect(a.getByRole('region', { name: 'Online now' })).toContainText('Blake Admin');
    await expect(b.getByRole('region', { name: 'Online now' })).toContainText('Avery Admin');

    // A new pack of Avery's appears in Blake's list.
    await addPack(a, name, 'Single Attachment', 'First words.');
    await expect(packOption(b, name)).toBeVisible();

    // Blake opens it: Avery sees Blake on that pack, in the header and beside the pack in the list.
    await packOption(b, name).click();
    await expect(b.getByLabel('Description')).toHaveValue('First words.');
    await expect(a.getByRole('region', { name: 'Online now' })).toContainText(`Blake Admin on ${name}`);
    await inList(a, (list) => expect(list.getByRole('option', { name, exact: true })).toHaveAccessibleDescription(/Blake Admin/));

    // Avery renames it and changes the description: Blake's list, heading and fields follow.
    const renamed = `Shared Pack ${tag} v2`;
    await a.getByLabel('Integration Pack Name').fill(renamed);
    await a.getByLabel('Description').fill('Second words, from Avery.');
    await a.getByRole('button', { name: 'Save' }).click();
    await expect(b.getByRole('heading', { name: renamed })).toBeVisible();
    await expect(b.getByLabel('Integration Pack Name')).toHaveValue(renamed);
    await expect(b.getByLabel('Description')).toHaveValue('Second words, from Avery.');
    await inList(b, (list) => expect(list.getByRole('option', { name: renamed, exact: true })).toBeVisible());
    await screenshot(b, 'desktop-6-collab-other-admin');

    // Blake adds a component; Avery's Publications table shows it.
    await b.getByRole('button', { name: 'Add', exact: true }).click();
    const dialog = b.getByRole('dialog', { name: 'Published Components' });
    await dialog.getByLabel('Filter Components').fill('Slack Alert');
    await dialog.getByRole('checkbox', { name: 'Slack Alert Notifier' }).check();
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expect(a.getByRole('table', { name: 'Publications' }).getByRole('rowheader', { name: 'Slack Alert Notifier' })).toBeVisible();
  } finally {
    await avery.close();
    await blake.close();
  }
});

test('an offline edit the server could not keep is explained to the person who made it', async ({ browser, server }) => {
  const { avery, blake, a, b } = await twoAdmins(browser, server);
  try {
    const name = `Doomed Pack ${unique()}`;
    await addPack(a, name, 'Single Attachment', 'Before.');
    await packOption(b, name).click();

    // Avery edits offline while Blake deletes the pack.
    await avery.setOffline(true);
    await expect(syncStatus(a)).toHaveText(/^Offline/);
    await a.getByLabel('Description').fill('Edited on a plane.');
    await a.getByRole('button', { name: 'Save' }).click();
    await b.getByRole('button', { name: 'Delete Integration Pack' }).click();
    await b.getByRole('dialog', { name: 'Delete Integration Pack' }).getByRole('button', { name: 'OK' }).click();
    await expect(packOption(b, name)).toHaveCount(0);

    // Back online: the pack is gone for Avery too, and Avery is told why the edit was dropped.
    await avery.setOffline(false);
    const notices = a.getByRole('alert', { name: 'Notices' });
    await expect(notices).toContainText(name);
    await inList(a, (list) => expect(list.getByRole('option', { name, exact: true })).toHaveCount(0));
    await screenshot(a, 'desktop-8-notice');
    await expect(b.getByRole('alert', { name: 'Notices' })).not.toContainText(name);
    await notices.getByRole('button', { name: 'Dismiss' }).first().click();
    await expect(notices).not.toContainText(name);
  } finally {
    await avery.close();
    await blake.close();
  }
});
