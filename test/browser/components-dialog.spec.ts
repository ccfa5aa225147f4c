/**
 * Issue 16 item 10: the Published Components dialog keeps its place while the list filters, shows
 * each component's latest version, counts what is selected ("n selected", also rows the filter
 * hides) and has a visible Select all, which chooses only what may be added.
 */
import type { Locator, Page } from '@playwright/test';
import { addPackAt, expectNoSeriousViolations, fullShot, VIEWPORTS } from './admin-helpers.ts';
import { expect, test } from './fixtures.ts';
import { adminToken, expectVersions, publishComponent, publishVersion, signIn, unique } from './page-helpers.ts';

const dialogOf = (page: Page) => page.getByRole('dialog', { name: 'Published Components' });
const rows = (dialog: Locator) => dialog.getByRole('group', { name: 'Components' }).getByRole('checkbox');

async function expectSameBox(dialog: Locator, before: { x: number; y: number; width: number; height: number }) {
  await expect.poll(async () => dialog.boundingBox()).toEqual(before);
}

for (const viewport of VIEWPORTS) {
  test.describe(`at ${viewport.width}x${viewport.height}`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test('filtering keeps the dialog in place; latest versions, n selected and Select all', async ({ page, server }) => {
      test.setTimeout(90_000);
      const token = adminToken(server, 0);
      const tag = unique();
      const a = await publishComponent(server, token, `Parts A ${tag}`, 'PROCESS');
      await publishComponent(server, token, `Parts B ${tag}`, 'PROCESS');
      await publishComponent(server, token, `Parts API ${tag}`, 'API_SERVICE');
      await publishVersion(server, token, a.id);
      await publishVersion(server, token, a.id);
      await signIn(page, token);
      await addPackAt(page, `Parts ${tag}`, 'Multiple Attachments');

      await page.getByRole('button', { name: 'Add', exact: true }).click();
      const dialog = dialogOf(page);
      const filter = dialog.getByLabel('Filter Components');
      await expect(filter).toBeFocused();
      // The whole catalog, then three, one and no match: the dialog's box never moves.
      await expect(rows(dialog).nth(3)).toBeVisible();
      const box = (await dialog.boundingBox())!;
      await filter.fill(tag);
      await expect(rows(dialog)).toHaveCount(3);
      await expectSameBox(dialog, box);
      await filter.fill(`Parts A ${tag}`);
      await expect(rows(dialog)).toHaveCount(1);
      await expect(dialog.getByText('Process · Version 3')).toBeVisible();
      await expectSameBox(dialog, box);
      await filter.fill(`nothing like this ${tag}`);
      await expect(dialog.getByText(/No component matches/)).toBeVisible();
      await expectSameBox(dialog, box);

      await filter.fill(tag);
      const selectAll = dialog.getByRole('checkbox', { name: 'Select all' });
      await expect(selectAll).toBeVisible();
      await expect(dialog.getByText('0 selected')).toBeVisible();
      await selectAll.check();
      // The API Service component cannot join a Multiple Attachments pack: Select all leaves it out.
      await expect(dialog.getByRole('checkbox', { name: `Parts A ${tag}` })).toBeChecked();
      await expect(dialog.getByRole('checkbox', { name: `Parts B ${tag}` })).toBeChecked();
      await expect(dialog.getByRole('checkbox', { name: `Parts API ${tag}` })).not.toBeChecked();
      await expect(dialog.getByRole('checkbox', { name: `Parts API ${tag}` })).toBeDisabled();
      await expect(dialog.getByText('2 selected')).toBeVisible();
      await dialog.getByRole('checkbox', { name: `Parts B ${tag}` }).uncheck();
      await expect(dialog.getByText('1 selected')).toBeVisible();
      await expect(selectAll).not.toBeChecked();
      expect(await selectAll.evaluate((box) => (box as HTMLInputElement).indeterminate)).toBe(true);
      await selectAll.check();
      await expect(dialog.getByText('2 selected')).toBeVisible();
      // The count includes what the filter hides.
      await filter.fill(`Parts B ${tag}`);
      await expect(rows(dialog)).toHaveCount(1);
      await expect(dialog.getByText('2 selected')).toBeVisible();
      await expectSameBox(dialog, box);
      await filter.fill(tag);
      await expectNoSeriousViolations(page, 'in Published Components with Select all');
      await fullShot(page, `components-dialog-${viewport.name}-selected`);

      await dialog.getByRole('button', { name: 'OK' }).click();
      await expect(dialog).toBeHidden();
      await expectVersions(page, `Parts A ${tag}`, { type: 'Process', current: '', pending: '3', available: '' });
      await expectVersions(page, `Parts B ${tag}`, { type: 'Process', current: '', pending: '1', available: '' });
    });
  });
}
