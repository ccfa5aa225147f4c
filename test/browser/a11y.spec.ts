/**
 * Accessibility: axe-core finds no serious or critical violation on the page or in any dialog, at
 * desktop and phone sizes; and every control and dialog works from the keyboard alone (focus moves
 * into a dialog, Escape closes it, focus returns to the control that opened it).
 */
import { expectNoSeriousViolations } from './admin-helpers.ts';
import { expect, test } from './fixtures.ts';
import { adminToken, packOption, signIn, syncStatus } from './page-helpers.ts';

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 375, height: 812 },
]) {
  test(`no serious axe violation on the page and in each dialog at ${viewport.width}x${viewport.height}`, async ({ page, server }) => {
    // Eight full axe runs take a while on two cores.
    test.setTimeout(120_000);
    await page.setViewportSize(viewport);
    await page.goto('/');
    await expectNoSeriousViolations(page, 'on Sign in');
    await signIn(page, adminToken(server, 1));
    await expectNoSeriousViolations(page, 'on the list');

    // Order Fulfillment: a Multiple Attachments pack with released and pending rows.
    await packOption(page, 'Order Fulfillment').click();
    await expect(page.getByRole('table', { name: 'Publications' })).toBeVisible();
    await expectNoSeriousViolations(page, 'on the details');

    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const components = page.getByRole('dialog', { name: 'Published Components' });
    await components.getByLabel('Filter Components').fill('API');
    await expect(components.getByRole('group', { name: 'Components' }).getByRole('checkbox').first()).toBeDisabled();
    await expectNoSeriousViolations(page, 'in Published Components');
    await components.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('radio', { name: 'Slack Alert Notifier' }).check();
    await page.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect(page.getByRole('dialog', { name: 'Remove Component' })).toBeVisible();
    await expectNoSeriousViolations(page, 'in the Remove confirmation');
    await page.getByRole('dialog', { name: 'Remove Component' }).getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Release Integration Pack' }).click();
    const release = page.getByRole('dialog', { name: 'Integration Pack Release' });
    await release.getByRole('radio', { name: 'Release Pending' }).check();
    await expectNoSeriousViolations(page, 'in Integration Pack Release');
    await release.getByRole('button', { name: 'Cancel' }).click();

    await page.getByRole('button', { name: 'Delete Integration Pack' }).click();
    // Order Fulfillment is installed three times in two of the demo's managed accounts.
    await expect(page.getByRole('dialog', { name: 'Delete Integration Pack' })).toContainText(
      'uninstalled from every managed account where it is installed (3 instances in 2 managed accounts), and any Atoms or environments attached to it are detached',
    );
    await expectNoSeriousViolations(page, 'in the Delete confirmation');
    await page.getByRole('dialog', { name: 'Delete Integration Pack' }).getByRole('button', { name: 'Cancel' }).click();

    await page.goto('/packs/new');
    await expect(page.getByLabel('Integration Pack Name')).toBeVisible();
    await expectNoSeriousViolations(page, 'on Add Integration Pack');
  });
}

test('every control and dialog works from the keyboard alone', async ({ page, server }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.goto('/');
  // Sign in: the server address is filled in; Tab to the token, type, Enter.
  await page.getByLabel('Server address').focus();
  await page.keyboard.press('Tab');
  await expect(page.getByLabel('Token')).toBeFocused();
  await page.keyboard.type(adminToken(server, 1));
  await page.keyboard.press('Enter');
  await expect(syncStatus(page)).toHaveText('Saved', { timeout: 10_000 });

  // The list: arrows move, Enter opens.
  const list = page.getByRole('listbox', { name: 'Integration Packs' });
  await list.focus();
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  const second = list.getByRole('option').nth(1);
  await expect(second).toHaveAttribute('aria-selected', 'true');
  const secondName = await page.getByLabel('Integration Pack Name').inputValue();
  await expect(second).toHaveAccessibleName(secondName);

  // Published Components: focus lands in Filter Components; Escape closes; focus returns to Add.
  const add = page.getByRole('button', { name: 'Add', exact: true });
  await add.focus();
  await page.keyboard.press('Enter');
  const components = page.getByRole('dialog', { name: 'Published Components' });
  await expect(components.getByLabel('Filter Components')).toBeFocused();
  await page.keyboard.type('Sync');
  await page.keyboard.press('Tab'); // Clear filters
  await expect(components.getByRole('button', { name: 'Clear filters' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(components.getByLabel('Filter Components')).toHaveValue('');
  await expect(components.getByLabel('Filter Components')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(components).toBeHidden();
  await expect(add).toBeFocused();

  // Integration Pack Release, when something can be released: radios by arrow keys, date typed.
  await packOption(page, 'Salesforce to NetSuite').click();
  const releaseButton = page.getByRole('button', { name: 'Release Integration Pack' });
  await releaseButton.focus();
  await page.keyboard.press('Enter');
  const release = page.getByRole('dialog', { name: 'Integration Pack Release' });
  await expect(release.getByRole('radio', { name: 'Release Immediate' })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(release.getByRole('radio', { name: 'Release Pending' })).toBeChecked();
  await page.keyboard.press('Tab');
  await expect(release.getByLabel('Release Date')).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(release).toBeHidden();
  await expect(releaseButton).toBeFocused();

  // Delete: Cancel has the focus first; Enter on it keeps the pack.
  const del = page.getByRole('button', { name: 'Delete Integration Pack' });
  await del.focus();
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('dialog', { name: 'Delete Integration Pack' });
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(confirm).toBeHidden();
  await expect(del).toBeFocused();
  await expect(packOption(page, 'Salesforce to NetSuite')).toBeVisible();

  // Sign out is a button like any other.
  await page.getByRole('button', { name: 'Sign out' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
});
