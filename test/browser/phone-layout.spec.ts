/**
 * Issue 16 item 8: on a phone (375x812) the Publications rows show their selection control, and
 * the table still fits the screen.
 */
import { expectNoSeriousViolations, fullShot } from './admin-helpers.ts';
import { expect, test } from './fixtures.ts';
import { adminToken, packOption, publications, signIn } from './page-helpers.ts';

test.use({ viewport: { width: 375, height: 812 } });

test('Publications rows on a phone show a radio to select them, and the table fits', async ({ page, server }) => {
  await signIn(page, adminToken(server, 1));
  await packOption(page, 'Order Fulfillment').click();
  const table = publications(page);
  await expect(table).toBeVisible();
  const radios = table.getByRole('radio');
  await expect(radios.first()).toBeVisible();
  const first = radios.first();
  const shown = await first.evaluate((input) => {
    const box = input.getBoundingClientRect();
    return { opacity: getComputedStyle(input).opacity, width: box.width, right: box.right };
  });
  expect(shown.opacity).toBe('1');
  expect(shown.width).toBeGreaterThanOrEqual(12);
  expect(shown.right).toBeLessThanOrEqual(375);
  // Tapping the row selects it, and its radio says so.
  await table.getByRole('row').nth(1).click();
  await expect(first).toBeChecked();
  const scroll = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scroll).toBeLessThanOrEqual(375);
  // The Rollout table fits too, its status pills on one line.
  const rollout = page.getByRole('region', { name: 'Rollout' });
  const pill = rollout.getByText('Up to date').first();
  await expect(pill).toBeVisible();
  const fits = await rollout.locator('.table-scroll').evaluate((scroller) => scroller.scrollWidth <= scroller.clientWidth);
  expect(fits).toBe(true);
  const box = (await pill.boundingBox())!;
  expect(box.x + box.width).toBeLessThanOrEqual(375);
  const lineHeight = await pill.evaluate((element) => Number.parseFloat(getComputedStyle(element).fontSize) * 2);
  expect(box.height).toBeLessThan(lineHeight);
  await fullShot(page, 'phone-publications-radio');
  await expectNoSeriousViolations(page, 'phone-publications-radio');
});
