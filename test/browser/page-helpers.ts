/**
 * Helpers for the Integration Packs page specs: sign in, talk to the server's REST API, read the
 * Publications table, save screenshots. Everything on the page is found by its accessible name.
 */
import { mkdirSync } from 'node:fs';
import { expect, test, type Browser, type BrowserContext, type BrowserContextOptions, type Locator, type Page } from '@playwright/test';
import type { PublishedComponent } from '../../shared/model.ts';
import type { RunningServer } from './fixtures.ts';

export const DEMO = 'demo';
export const SCREENSHOT_DIR = 'test-results/screenshots';

/** A suffix that keeps names unique among the tests of one worker, which share a server. */
export const unique = (): string => Math.random().toString(36).slice(2, 7);

export function adminToken(server: RunningServer, index = 0, accountId = DEMO): string {
  const token = server.tokens[accountId]?.admin[index];
  if (!token) throw new Error(`No admin token #${index} for account ${accountId} in demo-tokens.json.`);
  return token;
}

/** The size and kind of device of the running project (playwright.config.ts), for contexts a test opens itself. */
export function deviceOptions(): BrowserContextOptions {
  const use = test.info().project.use;
  return {
    viewport: use.viewport ?? { width: 1280, height: 800 },
    ...(use.isMobile ? { isMobile: true } : {}),
    ...(use.hasTouch ? { hasTouch: true } : {}),
  };
}

/** The 'phone' project's tests (screenshots are named after it). */
export const onPhone = (): boolean => test.info().project.name === 'phone';

/** Two admins of the demo account, each signed in in a browser context of its own (close both when done). */
export async function twoAdmins(
  browser: Browser,
  server: RunningServer,
): Promise<{ avery: BrowserContext; blake: BrowserContext; a: Page; b: Page }> {
  const avery = await browser.newContext(deviceOptions());
  const blake = await browser.newContext(deviceOptions());
  const a = await avery.newPage();
  const b = await blake.newPage();
  await signIn(a, adminToken(server, 0));
  await signIn(b, adminToken(server, 1));
  return { avery, blake, a, b };
}

/** Signs in on the sign-in form (server address defaults to the page's origin) and waits for the list. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.goto('/');
  await expect(page.getByLabel('Server address')).toHaveValue(new URL(page.url()).origin);
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('button', { name: 'Add Integration Pack' })).toBeVisible();
  await expect(syncStatus(page)).toHaveText('Saved', { timeout: 10_000 });
}

export const syncStatus = (page: Page): Locator => page.getByRole('status', { name: 'Sync status' });
export const packList = (page: Page): Locator => page.getByRole('listbox', { name: 'Integration Packs' });
export const packOption = (page: Page, name: string): Locator => packList(page).getByRole('option', { name, exact: true });

async function api<T>(server: RunningServer, token: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.baseURL}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body ?? {}),
  });
  if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as T;
}

/** Publishes a new component (version 1), as the platform's build step would. */
export const publishComponent = (server: RunningServer, token: string, name: string, type: 'PROCESS' | 'API_SERVICE') =>
  api<PublishedComponent>(server, token, `/api/accounts/${DEMO}/components`, { name, type });

/** Publishes the next version of a component. */
export const publishVersion = (server: RunningServer, token: string, componentId: string) =>
  api<PublishedComponent>(server, token, `/api/accounts/${DEMO}/components/${componentId}/versions`);

const backLink = (page: Page) => page.getByRole('link', { name: 'Back to Integration Packs' });
const detailsTitle = (page: Page) => page.getByRole('heading', { level: 2 }).and(page.locator('.details-title'));

/**
 * Checks what the list shows of a pack. On a phone, where the details hide the list, it goes Back to
 * the list for the check and then forward again to the details it left.
 */
export async function inList(page: Page, check: (list: Locator) => Promise<void>): Promise<void> {
  if (!(await backLink(page).isVisible())) return check(packList(page));
  // A pack that is gone shows "not found" without a details title.
  const heading = (await detailsTitle(page).count()) > 0 ? await detailsTitle(page).textContent() : null;
  await backLink(page).click();
  await check(packList(page));
  await page.goBack();
  if (heading !== null) await expect(detailsTitle(page)).toHaveText(heading);
}

/** Opens a pack by name from the list (on a phone, from the list's own view). */
export async function openPackNamed(page: Page, name: string): Promise<void> {
  if (await backLink(page).isVisible()) await backLink(page).click();
  await packOption(page, name).click();
  await expect(detailsTitle(page)).toHaveText(name);
}

/** Adds a pack with Add Integration Pack and Save; returns once its details are open (and, where the list shows, it is selected). */
export async function addPack(page: Page, name: string, type: 'Single Attachment' | 'Multiple Attachments', description = '') {
  if (await backLink(page).isVisible()) await backLink(page).click();
  await page.getByRole('button', { name: 'Add Integration Pack' }).click();
  await page.getByLabel('Integration Pack Name').fill(name);
  await page.getByRole('radio', { name: type }).check();
  if (description) await page.getByLabel('Description').fill(description);
  await page.getByRole('button', { name: 'Save' }).click();
  await expectOpened(page, name);
}

/** The pack's details are open at its address; where the list shows beside them, its option is selected. */
export async function expectOpened(page: Page, name: string): Promise<void> {
  await expect(page).toHaveURL(/\/packs\/(?!new)[^/]+$/);
  await expect(detailsTitle(page)).toHaveText(name);
  await inList(page, async (list) => {
    const option = list.getByRole('option', { name, exact: true });
    // On a phone the list's own view has no selection (its address is /packs).
    await (onPhone() ? expect(option).toBeVisible() : expect(option).toHaveAttribute('aria-selected', 'true'));
  });
}

/** Checks components by name in the Published Components dialog, found through Filter Components. */
export async function addComponents(page: Page, filter: string, names: string[]) {
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Published Components' });
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Filter Components').fill(filter);
  for (const name of names) await dialog.getByRole('checkbox', { name, exact: true }).check();
  await dialog.getByRole('button', { name: 'OK' }).click();
  await expect(dialog).toBeHidden();
}

export const publications = (page: Page): Locator => page.getByRole('table', { name: 'Publications' });

/** One row of the Publications table, by its Component Name. */
export const publicationRow = (page: Page, componentName: string): Locator =>
  publications(page)
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name: componentName, exact: true }) });

/** The cells of a Publications row: Component Type, Current Version, Pending Version, Available Version. */
export async function expectVersions(
  page: Page,
  componentName: string,
  expected: { type: string; current: string; pending: string; available: string },
) {
  const cells = publicationRow(page, componentName).getByRole('cell');
  await expect(cells).toHaveText([expected.type, expected.current, expected.pending, expected.available]);
}

/** yyyy-MM-dd, `days` after today in UTC (the demo account's time zone). */
export function utcDatePlus(days: number): string {
  return new Date(Date.now() + days * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOT_DIR}/${onPhone() ? 'phone-' : ''}${name}.png` });
}
