/**
 * Issue 16 item 13: a pack's Name and Description history (who, when, old → new) with Restore.
 * An admin renames a pack twice and sees both entries; Restore of the first puts its old name back
 * as an ordinary edit (it shows up in the history itself) and the pack's Undo takes the restore back;
 * the list reads offline after a reload; a viewer sees the list without Restore. axe at both sizes.
 */
import type { Locator, Page } from '@playwright/test';
import { addPackAt, detailsHeading, expectNoSeriousViolations, fullShot, openPack, VIEWPORTS } from './admin-helpers.ts';
import { expect, test } from './fixtures.ts';
import { adminToken, DEMO, signIn, syncStatus, unique } from './page-helpers.ts';

/** The section under its heading (not a named region: see EditHistory.tsx). */
const editHistory = (page: Page): Locator =>
  page.getByRole('heading', { name: 'Name and Description history', exact: true }).locator('xpath=..');
const entries = (page: Page): Locator => editHistory(page).getByRole('listitem');
/** Says its zone, like every time on the page: "Dec 2, 2026, 6:50 AM (UTC)". */
const A_TIME = /20\d\d.*\([A-Za-z_/+-]+\)/;
const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** An entry's change as its text reads: the arrow is shown, "changed to" is what a screen reader hears. */
const nameChange = (from: string, to: string) => new RegExp(`Name: “${literal(from)}” →\\s*changed to “${literal(to)}”`);

async function personName(baseURL: string, token: string): Promise<string> {
  const response = await fetch(`${baseURL}/api/me`, { headers: { Authorization: `Bearer ${token}` } });
  return ((await response.json()) as { personName: string }).personName;
}

async function saveName(page: Page, name: string): Promise<void> {
  await page.getByLabel('Integration Pack Name').fill(name);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('button', { name: 'Save' })).toBeDisabled();
  await expect(syncStatus(page)).toHaveText('Saved');
}

for (const viewport of VIEWPORTS) {
  test.describe(`at ${viewport.width}x${viewport.height}`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test('two renames listed with who, when and old → new; Restore, then Undo; offline; a viewer sees no Restore', async ({
      page,
      browser,
      server,
    }) => {
      test.setTimeout(120_000);
      const token = adminToken(server, 0);
      const who = await personName(server.baseURL, token);
      const tag = unique();
      const [first, second, third] = [`Ledger ${tag}`, `Ledger Close ${tag}`, `Ledger Close Toolkit ${tag}`];
      await signIn(page, token);
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });
      await addPackAt(page, first, 'Single Attachment', 'Month end.');
      await expect(editHistory(page)).toContainText('No edits of the name or description yet.');

      await test.step('two renames: two entries, newest first, with who, when and old → new', async () => {
        await saveName(page, second);
        await expect(entries(page)).toHaveCount(1);
        await saveName(page, third);
        await expect(entries(page)).toHaveCount(2);
        await expect(entries(page).nth(0)).toContainText(nameChange(second, third));
        await expect(entries(page).nth(1)).toContainText(nameChange(first, second));
        for (const entry of [entries(page).nth(0), entries(page).nth(1)]) {
          await expect(entry).toContainText(who);
          await expect(entry.locator('time')).toHaveText(A_TIME);
          await expect(entry.locator('time')).toHaveAttribute('datetime', /^\d{4}-\d\d-\d\dT/);
        }
        await expectNoSeriousViolations(page, `edit history with two entries (${viewport.name})`);
        await editHistory(page).scrollIntoViewIfNeeded();
        await fullShot(page, `edit-history-${viewport.name}-two-renames`);
      });

      await test.step('Restore the first: the old name is back, and the restore is an entry itself', async () => {
        await editHistory(page)
          .getByRole('button', { name: `Restore name “${first}”` })
          .click();
        await expect(page.getByLabel('Integration Pack Name')).toHaveValue(first);
        await expect(detailsHeading(page)).toHaveText(first);
        await expect(editHistory(page).getByRole('status').first()).toContainText(`Name restored to “${first}” (it was “${third}”)`);
        await expect(entries(page)).toHaveCount(3);
        await expect(entries(page).nth(0)).toContainText(nameChange(third, first));
        // The name is that value now: restoring it again would change nothing.
        await expect(editHistory(page).getByRole('button', { name: `Restore name “${first}”` })).toBeDisabled();
      });

      await test.step('Undo takes the restore back (an ordinary edit of the pack)', async () => {
        const undo = page.getByRole('button', { name: /^Undo/ });
        await expect(undo).toHaveAccessibleName(`Undo name of ${first}`);
        await undo.click();
        await expect(page.getByLabel('Integration Pack Name')).toHaveValue(third);
        await expect(editHistory(page)).not.toContainText('Name restored to');
        await expect(entries(page)).toHaveCount(4);
        await expect(entries(page).nth(0)).toContainText(nameChange(first, third));
        await expectNoSeriousViolations(page, `edit history after Restore and Undo (${viewport.name})`);
        await editHistory(page).scrollIntoViewIfNeeded();
        await fullShot(page, `edit-history-${viewport.name}-restored-undone`);
      });

      await test.step('offline, after a reload: the list reads from the device', async () => {
        await page.context().setOffline(true);
        await page.reload();
        await expect(detailsHeading(page)).toHaveText(third);
        await expect(entries(page)).toHaveCount(4);
        await expect(editHistory(page)).toContainText('Offline: these are the edits this device loaded last.');
        await page.context().setOffline(false);
      });

      await test.step('a viewer sees the entries, without Restore', async () => {
        const viewerToken = server.tokens[DEMO]?.viewer[0];
        if (!viewerToken) throw new Error('No viewer token in demo-tokens.json.');
        const viewerContext = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
        try {
          const viewer = await viewerContext.newPage();
          await signIn(viewer, viewerToken);
          await openPack(viewer, third);
          await expect(entries(viewer)).toHaveCount(4);
          await expect(entries(viewer).nth(3)).toContainText(nameChange(first, second));
          await expect(editHistory(viewer).getByRole('button')).toHaveCount(0);
          await expectNoSeriousViolations(viewer, `edit history as a viewer (${viewport.name})`);
          await editHistory(viewer).scrollIntoViewIfNeeded();
          await fullShot(viewer, `edit-history-${viewport.name}-viewer`);
        } finally {
          await viewerContext.close();
        }
      });
    });
  });
}
