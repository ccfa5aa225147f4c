/**
 * Issue 16 item 2: edits are never discarded silently. A changed Name or Description is a draft kept
 * on this device: selecting another pack and coming back, or reloading, shows it again with a note
 * that it is not saved; Save or Discard changes ends it. The pack being added keeps its draft too.
 * And (item 7's last point) a name another pack already has is allowed, with a warning before Save.
 */
import { addPackAt, detailsHeading, expectNoSeriousViolations, fullShot, openPack, toList, VIEWPORTS } from './admin-helpers.ts';
import { expect, test } from './fixtures.ts';
import { adminToken, signIn, unique } from './page-helpers.ts';

const NOT_SAVED = 'Not saved yet: your changes are kept on this device until you Save or discard them.';

for (const viewport of VIEWPORTS) {
  test.describe(`at ${viewport.width}x${viewport.height}`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test('a changed name survives selecting another pack and a reload, until Save or Discard', async ({ page, server }) => {
      await signIn(page, adminToken(server, 0));
      const tag = unique();
      const name = `Draft Pack ${tag}`;
      await addPackAt(page, name, 'Single Attachment', 'Stored description.');
      const nameField = page.getByLabel('Integration Pack Name');
      const description = page.getByLabel('Description');

      await nameField.fill(`${name} renamed`);
      await description.fill('Typed, not saved.');
      await expect(page.getByText(NOT_SAVED)).toBeVisible();

      await openPack(page, 'Order Fulfillment');
      await expect(nameField).toHaveValue('Order Fulfillment');
      await expect(page.getByText(NOT_SAVED)).toBeHidden();
      await openPack(page, name);
      await expect(nameField).toHaveValue(`${name} renamed`);
      await expect(description).toHaveValue('Typed, not saved.');
      await expect(page.getByText(NOT_SAVED)).toBeVisible();

      await page.reload();
      await expect(nameField).toHaveValue(`${name} renamed`);
      await expect(description).toHaveValue('Typed, not saved.');
      await expect(detailsHeading(page)).toHaveText(name);
      await fullShot(page, `drafts-${viewport.name}-after-reload`);
      await expectNoSeriousViolations(page, `drafts-${viewport.name}-after-reload`);

      await page.getByRole('button', { name: 'Discard changes' }).click();
      await expect(nameField).toHaveValue(name);
      await expect(description).toHaveValue('Stored description.');
      await expect(page.getByText(NOT_SAVED)).toBeHidden();
      await page.reload();
      await expect(nameField).toHaveValue(name);

      await description.fill('Saved this time.');
      await page.getByRole('button', { name: 'Save' }).click();
      await expect(page.getByRole('button', { name: 'Save' })).toBeDisabled();
      await expect(page.getByText(NOT_SAVED)).toBeHidden();
      await page.reload();
      await expect(description).toHaveValue('Saved this time.');
      await expect(page.getByRole('button', { name: 'Discard changes' })).toHaveCount(0);
    });

    test('the pack being added keeps its draft; a name in use is allowed with a warning', async ({ page, server }) => {
      await signIn(page, adminToken(server, 0));
      const taken = `Taken Name ${unique()}`;
      await addPackAt(page, taken, 'Single Attachment');
      await toList(page);
      await page.getByRole('button', { name: 'Add Integration Pack' }).click();
      await page.getByLabel('Integration Pack Name').fill(taken.toUpperCase());
      await page.getByRole('radio', { name: 'Multiple Attachments' }).check();
      await expect(page.getByRole('status').filter({ hasText: 'Another integration pack already has this name.' })).toBeVisible();
      await expect(page.getByLabel('Integration Pack Name')).toHaveAccessibleDescription(/Names may repeat/);
      await fullShot(page, `drafts-${viewport.name}-duplicate-warning`);
      await expectNoSeriousViolations(page, `drafts-${viewport.name}-duplicate-warning`);

      await openPack(page, 'Salesforce to NetSuite');
      await toList(page);
      await page.getByRole('button', { name: 'Add Integration Pack' }).click();
      await expect(page.getByLabel('Integration Pack Name')).toHaveValue(taken.toUpperCase());
      await expect(page.getByRole('radio', { name: 'Multiple Attachments' })).toBeChecked();

      // Allowed: Save adds a second pack of that name.
      await page.getByLabel('Integration Pack Name').fill(taken);
      await page.getByRole('button', { name: 'Save' }).click();
      await expect(page).toHaveURL(/\/packs\/(?!new)[^/]+$/);
      await expect(detailsHeading(page)).toHaveText(taken);
      await toList(page);
      await expect(page.getByRole('listbox', { name: 'Integration Packs' }).getByRole('option', { name: taken })).toHaveCount(2);
      // The draft of the pack being added ended with its Save.
      await page.getByRole('button', { name: 'Add Integration Pack' }).click();
      await expect(page.getByLabel('Integration Pack Name')).toHaveValue('');
    });
  });
}
