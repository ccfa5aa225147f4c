/**
 * Issue 16 item 12: the extension's options page and its "not set up" popup wear the PWA's finish:
 * the same type scale (15 px system font), buttons (primary blue, 6 px radius, 2.25rem tall) and a
 * card layout; the popup that is not set up says what to do with one button instead of empty lists.
 * The MV3 extension (dist-extension/) is loaded into headless Chromium with a fresh profile.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { type BrowserContext, chromium, expect, type Page, test } from '@playwright/test';
import { SCREENSHOT_DIR } from './page-helpers.ts';

const EXTENSION_DIR = resolve(import.meta.dirname, '../../dist-extension');
let context: BrowserContext;
let profileDir: string;
let extensionId: string;

test.describe.configure({ mode: 'serial' });
test.setTimeout(60_000);

test.beforeAll(async () => {
  profileDir = mkdtempSync(join(tmpdir(), 'ip-extension-finish-'));
  context = await chromium.launchPersistentContext(profileDir, {
    headless: true,
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  extensionId = new URL(worker.url()).host;
});

test.afterAll(async () => {
  await context?.close();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

async function expectAxeClean(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect(serious, `axe violations ${where}`).toEqual([]);
}

/** The PWA's look of a button and of the page's text (client/src/styles.css). */
async function expectPwaFinish(page: Page, primary: string) {
  const looks = await page.getByRole('button', { name: primary, exact: true }).evaluate((button) => {
    const style = getComputedStyle(button);
    const root = getComputedStyle(document.documentElement);
    return {
      background: style.backgroundColor,
      color: style.color,
      radius: style.borderRadius,
      height: button.getBoundingClientRect().height,
      fontSize: root.fontSize,
      bodyFontSize: getComputedStyle(document.body).fontSize,
      buttonFontSize: style.fontSize,
      fontFamily: root.fontFamily,
    };
  });
  expect(looks).toMatchObject({
    background: 'rgb(31, 78, 121)',
    color: 'rgb(255, 255, 255)',
    radius: '6px',
    fontSize: '15px',
    bodyFontSize: '15px',
    buttonFontSize: '15px',
  });
  expect(looks.height).toBeGreaterThanOrEqual(33.75);
  expect(looks.fontFamily).toMatch(/^system-ui/);
}

test('the popup that is not set up says what to do, with one button to Options', async () => {
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 360, height: 420 });
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await expect(popup.locator('body[data-ready]')).toBeAttached();
  await expect(popup.getByRole('status')).toHaveText('Not set up yet.');
  const setup = popup.getByRole('region', { name: 'Set up the extension' });
  await expect(setup).toBeVisible();
  // No empty lists and no Refresh while there is nothing to refresh.
  await expect(popup.getByRole('heading', { name: 'Packs that need attention' })).toBeHidden();
  await expect(popup.getByRole('button', { name: 'Refresh' })).toBeHidden();
  await expectPwaFinish(popup, 'Open Options');
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await popup.screenshot({ path: `${SCREENSHOT_DIR}/extension-popup-not-set-up.png` });
  await expectAxeClean(popup, 'on the popup that is not set up');
  await popup.close();
});

test('the options page is a card with the PWA’s fields and buttons', async () => {
  const options = await context.newPage();
  await options.setViewportSize({ width: 800, height: 600 });
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  await expect(options.locator('body[data-ready]')).toBeAttached();
  await expect(options.getByRole('heading', { name: 'Integration Packs extension' })).toBeVisible();
  await expectPwaFinish(options, 'Save');
  const field = await options.getByLabel('Server address').evaluate((input) => {
    const style = getComputedStyle(input);
    return { radius: style.borderRadius, border: style.borderTopColor };
  });
  expect(field).toEqual({ radius: '6px', border: 'rgb(140, 149, 159)' });
  await options.screenshot({ path: `${SCREENSHOT_DIR}/extension-options.png` });
  await expectAxeClean(options, 'on the options page');
  await options.close();
});

test('Open Options in the popup that is not set up opens the options page', async () => {
  const optionsUrl = `chrome-extension://${extensionId}/options.html`;
  // chrome.runtime.openOptionsPage() focuses an options tab that is already open (the install opens
  // one for a new user) instead of opening another: close them, so the click must open it.
  for (const open of context.pages()) if (open.url().startsWith(optionsUrl)) await open.close();
  const popup = await context.newPage();
  await popup.setViewportSize({ width: 360, height: 420 });
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await expect(popup.locator('body[data-ready]')).toBeAttached();
  const opened = context.waitForEvent('page', { predicate: (page) => page.url().startsWith(optionsUrl) });
  await popup.getByRole('region', { name: 'Set up the extension' }).getByRole('button', { name: 'Open Options' }).click();
  const options = await opened;
  await expect(options).toHaveURL(optionsUrl);
  await expect(options.getByRole('heading', { name: 'Integration Packs extension' })).toBeVisible();
  await expect(options.getByLabel('Server address')).toBeVisible();
  await options.close();
  await popup.close();
});
