/**
 * Issue 16 item 3: undo an admin can see and trust. Undo and Redo say what they will undo; they act
 * on the pack on screen only; outside text fields Ctrl/Cmd+Z and Shift+Z are the app's undo and redo;
 * adding, deleting and releasing say they cannot be undone; and inside a field the browser's text
 * undo never garbles the text (paste-replace, Save, Undo, Redo, Ctrl+Z once gave "Multi v2Multi").
 */
import { addPackAt, fullShot, openPack, VIEWPORTS } from './admin-helpers.ts';
import { expect, test } from './fixtures.ts';
import { adminToken, signIn, unique } from './page-helpers.ts';

for (const viewport of VIEWPORTS) {
  test.describe(`at ${viewport.width}x${viewport.height}`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test('paste-replace, Save, Undo, Redo, then Ctrl+Z in the field does not garble the name', async ({ page, context, server }) => {
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await signIn(page, adminToken(server, 0));
      const tag = unique();
      const name = `Multi ${tag}`;
      await addPackAt(page, name, 'Single Attachment');
      const field = page.getByLabel('Integration Pack Name');

      // Paste over the whole name.
      await page.evaluate((text) => navigator.clipboard.writeText(text), `${name} v2`);
      await field.click();
      await field.press('ControlOrMeta+a');
      await field.press('ControlOrMeta+v');
      await expect(field).toHaveValue(`${name} v2`);
      await page.getByRole('button', { name: 'Save' }).click();
      await expect(page.getByRole('button', { name: 'Save' })).toBeDisabled();

      await page.getByRole('button', { name: /^Undo/ }).click();
      await expect(field).toHaveValue(name);
      await page.getByRole('button', { name: /^Redo/ }).click();
      await expect(field).toHaveValue(`${name} v2`);

      await field.click();
      await field.press('ControlOrMeta+z');
      // The field's own undo goes back one step of what the field showed, never a mix of two texts.
      await expect(field).toHaveValue(name);
      await field.press('ControlOrMeta+Shift+z');
      await expect(field).toHaveValue(`${name} v2`);
      await fullShot(page, `undo-${viewport.name}-field-text-undo`);
    });

    test('Undo and Redo are labelled, scoped to the pack on screen, and follow Ctrl+Z outside fields', async ({ page, server }) => {
      await signIn(page, adminToken(server, 0));
      const tag = unique();
      const first = `Finance Close ${tag}`;
      const second = `Second Pack ${tag}`;
      await addPackAt(page, first, 'Single Attachment', 'Month end.');
      const undo = page.getByRole('button', { name: /^Undo/ });
      const redo = page.getByRole('button', { name: /^Redo/ });

      await test.step('a label that says what Undo will undo', async () => {
        await page.getByLabel('Description').fill('Month end and quarter end.');
        await page.getByRole('button', { name: 'Save' }).click();
        await expect(undo).toHaveAccessibleName(`Undo description of ${first}`);
        await expect(undo).toBeEnabled();
        await fullShot(page, `undo-${viewport.name}-labelled`);
      });

      await test.step('another pack on screen: Undo does not reach the first one', async () => {
        await addPackAt(page, second, 'Single Attachment');
        await expect(undo).toBeDisabled();
        await expect(undo).toHaveAccessibleDescription(/Adding, deleting and releasing cannot be undone/);
        await openPack(page, first);
        await expect(undo).toHaveAccessibleName(`Undo description of ${first}`);
      });

      await test.step('Ctrl+Z outside a field undoes, Ctrl+Shift+Z redoes', async () => {
        await page.getByRole('heading', { name: first }).click();
        await page.keyboard.press('ControlOrMeta+z');
        await expect(page.getByLabel('Description')).toHaveValue('Month end.');
        await expect(redo).toHaveAccessibleName(`Redo description of ${first}`);
        await page.keyboard.press('ControlOrMeta+Shift+z');
        await expect(page.getByLabel('Description')).toHaveValue('Month end and quarter end.');
      });
    });
  });
}
