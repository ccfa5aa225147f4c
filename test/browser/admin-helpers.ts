/**
 * Helpers for the issue-16 specs that run at desktop and phone sizes: on a phone the list and the
 * details are two views, so "the pack is open" is read from the URL and the details heading.
 */
import { mkdirSync } from 'node:fs';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { SCREENSHOT_DIR } from './page-helpers.ts';

export const VIEWPORTS = [
  { name: 'desktop', width: 1280, height: 800 },
  { name: 'phone', width: 375, height: 812 },
] as const;

export const detailsHeading = (page: Page) => page.getByRole('heading', { level: 2 }).and(page.locator('.details-title'));

/** Add Integration Pack, fill, Save; returns the new pack's id once its details are open. */
export async function addPackAt(page: Page, name: string, type: 'Single Attachment' | 'Multiple Attachments', description = '') {
  await toList(page);
  await page.getByRole('button', { name: 'Add Integration Pack' }).click();
  await page.getByLabel('Integration Pack Name').fill(name);
  await page.getByRole('radio', { name: type }).check();
  if (description) await page.getByLabel('Description').fill(description);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(/\/packs\/(?!new)[^/]+$/);
  await expect(detailsHeading(page)).toHaveText(name);
  return new URL(page.url()).pathname.split('/').pop()!;
}

/** Shows the list without reloading (a reload would lose what lives in memory, such as undo): on a phone, Back. */
export async function toList(page: Page) {
  const back = page.getByRole('link', { name: 'Back to Integration Packs' });
  if (await back.isVisible()) await back.click();
  await expect(page.getByRole('button', { name: 'Add Integration Pack' })).toBeVisible();
}

/** Opens a pack by name from the list (on a phone the list is its own view). */
export async function openPack(page: Page, name: string) {
  await toList(page);
  await page.getByRole('listbox', { name: 'Integration Packs' }).getByRole('option', { name, exact: true }).click();
  await expect(detailsHeading(page)).toHaveText(name);
}

/** A full-page screenshot into test-results/screenshots/ (phones scroll; the viewport alone hides the point). */
export async function fullShot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${name}.png`, fullPage: true });
}

/** Runs a command through POST /api/accounts/:id/commands (as the platform's API would), with a fresh key. */
export async function runCommand(
  baseURL: string,
  token: string,
  command: Record<string, unknown>,
  accountId = 'demo',
): Promise<{ status: string; message: string; instanceId?: string; releaseNumber?: number }> {
  const response = await fetch(`${baseURL}/api/accounts/${accountId}/commands`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ idempotencyKey: `test-${Math.random().toString(36).slice(2)}-${Date.now()}`, command }),
  });
  const body = (await response.json()) as { status: string; message: string; instanceId?: string; releaseNumber?: number };
  if (body.status !== 'SUCCESS') throw new Error(`${String(command.type)} answered ${response.status}: ${JSON.stringify(body)}`);
  return body;
}

/** axe-core finds no serious or critical violation on the page as it is now. */
export async function expectNoSeriousViolations(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) =>
        `${violation.impact} ${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
  expect(serious, `axe violations ${where}`).toEqual([]);
}
