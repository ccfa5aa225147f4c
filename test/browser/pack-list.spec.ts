/**
 * The Integration Packs list with 10,000 packs (plus the demo's four), at desktop and phone sizes:
 * Search Integration Packs filters by name as you type; the listbox is virtualized yet keeps its
 * semantics (the active option stays in the DOM for aria-activedescendant; arrows, Home, End and
 * type-to-jump move it; aria-setsize and aria-posinset count the whole list); each option's badges
 * say its type, its pending release with the date, "Needs release" and an unsaved draft. axe stays clean.
 *
 * These specs get a server of their own (a worker fixture override): 10,000 packs pushed by a stock
 * y-websocket client into the demo account before the first test.
 */
import { AxeBuilder } from '@axe-core/playwright';
import type { Locator, Page } from '@playwright/test';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { dateStyleOf, formatDate } from '../../shared/date-format.ts';
import { writeNewPack } from '../../shared/schema.ts';
import { test as base, expect, startServer, type RunningServer } from './fixtures.ts';
import { addComponents, addPack, adminToken, packList, packOption, screenshot, unique, utcDatePlus } from './page-helpers.ts';

const MANY = 10_000;
const DEMO_PACKS = 4;
const WORDS = ['Billing', 'Catalog', 'Customer', 'Finance', 'Inventory', 'Orders', 'Payroll', 'Shipping', 'Support', 'Warehouse'];
const manyName = (i: number) => `${WORDS[i % WORDS.length]} Flow ${String(i).padStart(5, '0')}`;

/** Writes MANY packs into the demo account as one update, through a stock client (the interop contract). */
async function pushManyPacks(server: RunningServer): Promise<void> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(`${server.baseURL.replace(/^http/, 'ws')}/sync`, 'demo', doc, {
    params: { token: server.tokens.demo!.admin[0]! },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  try {
    await new Promise<void>((synced, failed) => {
      const timer = setTimeout(() => failed(new Error('the stock client did not sync within 20 s')), 20_000);
      provider.once('sync', () => (clearTimeout(timer), synced()));
    });
    const createdAt = new Date().toISOString();
    doc.transact(() => {
      for (let i = 0; i < MANY; i++)
        writeNewPack(doc, {
          id: `many-${i}`,
          name: manyName(i),
          description: '',
          installationType: i % 3 === 0 ? 'MULTI' : 'SINGLE',
          componentIds: [],
          createdAt,
          createdBy: 'bench',
        });
    });
    // Stored once a second stock client sees them all.
    const check = new Y.Doc();
    const reader = new WebsocketProvider(`${server.baseURL.replace(/^http/, 'ws')}/sync`, 'demo', check, {
      params: { token: server.tokens.demo!.admin[1]! },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
    });
    try {
      await expect.poll(() => check.getMap('packs').size, { timeout: 30_000 }).toBe(MANY + DEMO_PACKS);
    } finally {
      reader.destroy();
      check.destroy();
    }
  } finally {
    provider.destroy();
    doc.destroy();
  }
}

const test = base.extend<object, { workerServer: RunningServer }>({
  workerServer: [
    // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's first parameter as a destructuring pattern.
    async ({}, use) => {
      const server = await startServer();
      await pushManyPacks(server);
      await use(server);
      await server.stop();
    },
    { scope: 'worker', timeout: 90_000 },
  ],
});

const search = (page: Page) => page.getByRole('searchbox', { name: 'Search Integration Packs' });
/** Signs in and waits for the whole list; returns how many packs it holds (the badge tests add a few). */
async function openBigList(page: Page, server: RunningServer, viewport: { width: number; height: number }): Promise<number> {
  await page.setViewportSize(viewport);
  await page.goto('/');
  await page.getByLabel('Token').fill(adminToken(server, 0));
  await page.getByRole('button', { name: 'Sign in' }).click();
  // The first sign-in brings the 10,004 packs into IndexedDB.
  const first = packList(page).getByRole('option').first();
  await expect(first).toHaveAttribute('aria-setsize', /^\d{5,}$/, { timeout: 60_000 });
  await expect
    .poll(async () => Number(await first.getAttribute('aria-setsize')), { timeout: 60_000 })
    .toBeGreaterThanOrEqual(MANY + DEMO_PACKS);
  return Number(await first.getAttribute('aria-setsize'));
}

/** On a phone the details replace the list: go back to it. */
async function backToListOnPhone(page: Page, viewport: { width: number }) {
  if (viewport.width < 700) await page.getByRole('link', { name: 'Back to Integration Packs' }).click();
}

/** Desktop: the opened option is selected. Phone: back from its details, the list is still on it (nothing is selected at /packs). */
async function expectSelectedOrBackOnIt(page: Page, viewport: { width: number }, option: Locator) {
  if (viewport.width >= 700) return expect(option).toHaveAttribute('aria-selected', 'true');
  await backToListOnPhone(page, viewport);
  await expect(packList(page)).toHaveAttribute('aria-activedescendant', (await option.getAttribute('id'))!);
}

async function expectActiveDescendantInDom(page: Page) {
  const id = await packList(page).getAttribute('aria-activedescendant');
  expect(id).toBeTruthy();
  await expect(page.locator(`[id="${id}"]`)).toHaveAttribute('role', 'option');
  return page.locator(`[id="${id}"]`);
}

for (const viewport of [
  { width: 1280, height: 800 },
  { width: 375, height: 812 },
]) {
  const size = `${viewport.width}x${viewport.height}`;

  test(`10,004 packs: a few options in the DOM, each placed in the whole list; arrows, Home, End keep the active one in the DOM at ${size}`, async ({
    page,
    server,
  }) => {
    test.setTimeout(120_000);
    const total = await openBigList(page, server, viewport);
    const list = packList(page);
    const rendered = await list.getByRole('option').count();
    expect(rendered).toBeGreaterThan(3);
    expect(rendered).toBeLessThan(100);
    const first = list.getByRole('option').first();
    await expect(first).toHaveAttribute('aria-posinset', '1');

    await list.focus();
    await page.keyboard.press('End');
    let active = await expectActiveDescendantInDom(page);
    await expect(active).toHaveAttribute('aria-posinset', String(total));
    await expect(active).toBeInViewport();
    // The last name in the list (sorted by name): "Warehouse Flow 09999".
    await expect(active).toHaveAccessibleName(manyName(9_999));
    await page.keyboard.press('ArrowUp');
    active = await expectActiveDescendantInDom(page);
    await expect(active).toHaveAttribute('aria-posinset', String(total - 1));
    await page.keyboard.press('Home');
    active = await expectActiveDescendantInDom(page);
    await expect(active).toHaveAttribute('aria-posinset', '1');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    active = await expectActiveDescendantInDom(page);
    await expect(active).toHaveAttribute('aria-posinset', '3');
    const activeName = (await active.getAttribute('id'))!;

    // Scrolled far away with the wheel, the active option is still rendered (off screen).
    await list.evaluate((element) => {
      const scroller = element.parentElement!;
      scroller.scrollTop = scroller.scrollHeight / 2;
    });
    await expect(list.getByRole('option').filter({ hasText: 'Flow 0' }).first()).not.toHaveAttribute('aria-posinset', '1');
    await expect(page.locator(`[id="${activeName}"]`)).toBeAttached();
    await expect(page.locator(`[id="${activeName}"]`)).not.toBeInViewport();
    await expect(list).toHaveAttribute('aria-activedescendant', activeName);
    // ArrowDown moves on from it and brings it back into view.
    await page.keyboard.press('ArrowDown');
    active = await expectActiveDescendantInDom(page);
    await expect(active).toHaveAttribute('aria-posinset', '4');
    await expect(active).toBeInViewport();
    const activeLabel = (await active.getAttribute('id'))!;
    await page.keyboard.press('Enter');
    const name = await page.getByLabel('Integration Pack Name').inputValue();
    await expect(page.getByRole('heading', { name, exact: true })).toBeVisible();
    await expectSelectedOrBackOnIt(page, viewport, page.locator(`[id="${activeLabel}"]`));
    await expect(page.locator(`[id="${activeLabel}"]`)).toHaveAccessibleName(name);
    await screenshot(page, `pack-list-10k-${size}`);
  });

  test(`type-to-jump moves the active option to the next name typed; Space and Enter select at ${size}`, async ({ page, server }) => {
    test.setTimeout(120_000);
    await openBigList(page, server, viewport);
    const list = packList(page);
    await list.focus();
    await page.keyboard.type('wareh');
    let active = await expectActiveDescendantInDom(page);
    await expect(active).toHaveAccessibleName('Warehouse Flow 00009');
    await expect(active).toBeInViewport();
    // An arrow ends the prefix; a letter then moves on to the next name with it, the same letter again to the one after.
    await page.keyboard.press('ArrowDown');
    await expect(await expectActiveDescendantInDom(page)).toHaveAccessibleName('Warehouse Flow 00019');
    await page.keyboard.type('f');
    active = await expectActiveDescendantInDom(page);
    await expect(active).toHaveAccessibleName('Finance Close Toolkit');
    await expect(active).toBeInViewport();
    await page.keyboard.type('f');
    await expect(await expectActiveDescendantInDom(page)).toHaveAccessibleName('Finance Flow 00003');
    await page.keyboard.press('ArrowUp');
    await page.keyboard.type('finance flow 0002');
    active = await expectActiveDescendantInDom(page);
    await expect(active).toHaveAccessibleName('Finance Flow 00023');
    await page.keyboard.press('Enter');
    await expect(page.getByLabel('Integration Pack Name')).toHaveValue('Finance Flow 00023');
    await expectSelectedOrBackOnIt(page, viewport, packOption(page, 'Finance Flow 00023'));
    await list.focus();
    await page.keyboard.press('ArrowUp');
    active = await expectActiveDescendantInDom(page);
    await expect(active).toHaveAccessibleName('Finance Flow 00013');
    await page.keyboard.press(' ');
    await expect(page.getByLabel('Integration Pack Name')).toHaveValue('Finance Flow 00013');
    await expectSelectedOrBackOnIt(page, viewport, packOption(page, 'Finance Flow 00013'));
  });

  test(`Search Integration Packs filters as you type; the matches are counted and placed among themselves at ${size}`, async ({
    page,
    server,
  }) => {
    test.setTimeout(120_000);
    const total = await openBigList(page, server, viewport);
    const list = packList(page);
    await search(page).fill('payroll flow 0012');
    // Payroll is every tenth name: 00126 is the only one among 00120-00129.
    await expect(list.getByRole('option')).toHaveCount(1);
    await expect(list.getByRole('option')).toHaveAccessibleName('Payroll Flow 00126');
    await expect(list.getByRole('option')).toHaveAttribute('aria-setsize', '1');
    await expect(page.getByRole('status').filter({ hasText: 'matches' })).toHaveText('1 pack matches');

    await search(page).fill('payroll flow 01');
    // 01000-01999: a hundred Payroll names.
    await expect(page.getByRole('status').filter({ hasText: 'match' })).toHaveText('100 packs match');
    await expect(list.getByRole('option').first()).toHaveAttribute('aria-setsize', '100');
    await expect(list.getByRole('option').first()).toHaveAccessibleName('Payroll Flow 01006');
    // ArrowDown from the search box goes to the list; End is the last match.
    await search(page).press('ArrowDown');
    await expect(list).toBeFocused();
    await page.keyboard.press('End');
    const active = await expectActiveDescendantInDom(page);
    await expect(active).toHaveAccessibleName('Payroll Flow 01996');
    await expect(active).toHaveAttribute('aria-posinset', '100');

    await search(page).fill('no pack has this name');
    await expect(list.getByRole('option')).toHaveCount(0);
    await expect(page.getByRole('status').filter({ hasText: 'match' })).toHaveText('No integration packs match “no pack has this name”.');
    await search(page).fill('');
    await expect(list.getByRole('option').first()).toHaveAttribute('aria-setsize', String(total));
  });

  test(`badges: the type, a pending release with its date, "Needs release", an unsaved draft at ${size}`, async ({ page, server }) => {
    test.setTimeout(120_000);
    await openBigList(page, server, viewport);
    // A demo pack with a newer version published since its release.
    await search(page).fill('Salesforce to NetSuite');
    const salesforce = packOption(page, 'Salesforce to NetSuite');
    await expect(salesforce).toHaveAccessibleDescription('Single Attachment Needs release');
    await search(page).fill('Order Fulfillment');
    await expect(packOption(page, 'Order Fulfillment')).toHaveAccessibleDescription('Multiple Attachments Needs release');
    // A pack of the 10,000: no components, never released.
    await search(page).fill('Orders Flow 00005');
    await expect(packOption(page, 'Orders Flow 00005')).toHaveAccessibleDescription('Single Attachment');
    await search(page).fill('Inventory Flow 00004');
    await expect(packOption(page, 'Inventory Flow 00004')).toHaveAccessibleDescription('Single Attachment');
    await search(page).fill('Billing Flow 00000');
    await expect(packOption(page, 'Billing Flow 00000')).toHaveAccessibleDescription('Multiple Attachments');

    // A new pack with a component needs a release; released pending, it shows the date instead.
    if (viewport.width < 700) await page.setViewportSize({ width: 1280, height: 800 });
    await search(page).fill('');
    const name = `Badges ${unique()}`;
    await addPack(page, name, 'Single Attachment');
    await addComponents(page, 'Salesforce Account Sync', ['Salesforce Account Sync']);
    await search(page).fill(name);
    await expect(packOption(page, name)).toHaveAccessibleDescription('Single Attachment Needs release');
    const date = utcDatePlus(5);
    // Written as every date on the page is: the demo account's style (UTC, en-US).
    const shownDate = formatDate(date, dateStyleOf(undefined));
    await page.getByRole('button', { name: 'Release Integration Pack' }).click();
    const dialog = page.getByRole('dialog', { name: 'Integration Pack Release' });
    await dialog.getByRole('radio', { name: 'Release Pending' }).check();
    await dialog.getByLabel('Release Date').fill(date);
    await dialog.getByRole('button', { name: 'OK' }).click();
    await expect(dialog).toBeHidden();
    await page.setViewportSize(viewport);
    await backToListOnPhone(page, viewport);
    await expect(packOption(page, name)).toHaveAccessibleDescription(`Single Attachment Pending ${shownDate}`);
    // A change typed but not saved is a draft on this device: the list says so.
    await packOption(page, name).click();
    await page.getByLabel('Description').fill('Typed, not saved');
    await backToListOnPhone(page, viewport);
    await expect(packOption(page, name)).toHaveAccessibleDescription(`Single Attachment Pending ${shownDate} Unsaved draft`);
    await screenshot(page, `pack-list-badges-${size}`);
  });

  test(`no serious axe violation on the 10,004-pack list, searching and scrolled at ${size}`, async ({ page, server }) => {
    test.setTimeout(120_000);
    await openBigList(page, server, viewport);
    const serious = async (where: string) => {
      const results = await new AxeBuilder({ page }).analyze();
      const found = results.violations
        .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
        .map((violation) => `${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
      expect(found, `axe violations ${where}`).toEqual([]);
    };
    await serious('on the list');
    await packList(page).focus();
    await page.keyboard.press('End');
    await serious('at the end of the list');
    await search(page).fill('finance');
    await expect(page.getByRole('status').filter({ hasText: 'match' })).toHaveText('1,001 packs match');
    await serious('while searching');
  });
}
