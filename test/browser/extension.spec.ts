/**
 * The MV3 extension (dist-extension/, built by `npm run build`) loaded unpacked into Debian's
 * Chromium, against our real server (sync-server/main.ts, seeded with the demo) in a child process.
 *
 * Headless mode: `chromium.launchPersistentContext(dir, { headless: true, args: ['--load-extension=…'] })`
 * works with Debian's chromium (156): Playwright's `headless: true` runs Chromium's new headless
 * mode, which loads extensions, runs their service worker, sets the action badge and creates
 * notifications. (The old headless shell, which cannot load extensions, is not involved.)
 *
 * Refreshes are triggered by calling the worker's alarm handler directly (exposed on its global
 * scope as `handleAlarm`), never by waiting for the 5-minute alarm.
 */
import { dateStyleOf, formatDate } from '../../shared/date-format.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, expect, test, type BrowserContext, type Page, type Worker } from '@playwright/test';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { todayIn } from '../../shared/dates.ts';
import { startServer, type RunningServer } from './fixtures.ts';

const EXTENSION_DIR = resolve(import.meta.dirname, '../../dist-extension');
const ACCOUNT = 'demo';

interface SummaryPack {
  packId: string;
  packName: string;
  canRelease: boolean;
  pendingRelease?: unknown;
  reasons: string[];
}
interface Summary {
  accountName: string;
  timeZone: string;
  packs: SummaryPack[];
  badgeCount: number;
}
interface Cache {
  refreshedAt?: string;
  error?: { code: string; message: string };
  summary?: Summary;
}

let server: RunningServer;
let context: BrowserContext;
let profileDir: string;
let extensionId: string;

test.describe.configure({ mode: 'serial' });
test.setTimeout(90_000);

test.beforeAll(async () => {
  server = await startServer();
  profileDir = mkdtempSync(join(tmpdir(), 'ip-extension-profile-'));
  context = await chromium.launchPersistentContext(profileDir, {
    headless: true,
    executablePath: process.env.CHROME_PATH ?? '/usr/bin/chromium',
    args: [
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  extensionId = new URL((await backgroundWorker()).url()).host;
});

test.afterAll(async () => {
  await context?.close();
  await server?.stop();
  if (profileDir) rmSync(profileDir, { recursive: true, force: true });
});

/** The extension's service worker; Chrome may have stopped and restarted it, so look it up each time. */
async function backgroundWorker(): Promise<Worker> {
  const running = context.serviceWorkers().find((worker) => worker.url().endsWith('/background.js'));
  return running ?? (await context.waitForEvent('serviceworker', { predicate: (w) => w.url().endsWith('/background.js') }));
}

/** What the 5-minute alarm does, run now; resolves with the cache the refresh wrote. */
async function refreshNow(): Promise<Cache> {
  const worker = await backgroundWorker();
  return worker.evaluate(async () => {
    const scope = globalThis as unknown as { handleAlarm(alarm: { name: string; scheduledTime: number }): Promise<unknown> };
    return (await scope.handleAlarm({ name: 'refresh-summary', scheduledTime: Date.now() })) as Cache;
  });
}

async function badgeText(): Promise<string> {
  return (await backgroundWorker()).evaluate(() => chrome.action.getBadgeText({}));
}

const adminToken = () => server.tokens[ACCOUNT]!.admin[0]!;

async function api<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.baseURL}${path}`, {
    method,
    headers: { Authorization: `Bearer ${adminToken()}`, 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  expect(response.status, `${method} ${path}`).toBe(200);
  return (await response.json()) as T;
}

async function release(packId: string, schedule: { releaseSchedule: string; releaseOnDate?: string; notes?: string }): Promise<void> {
  const result = await api<{ status: string; message: string }>('POST', `/api/accounts/${ACCOUNT}/commands`, {
    idempotencyKey: `extension-spec-${packId}-${schedule.releaseSchedule}`,
    command: { type: 'RELEASE', packId, ...schedule },
  });
  expect(result.status, result.message).toBe('SUCCESS');
}

/** The component ids of a pack, read as a stock y-websocket client reads them (the interop contract). */
async function componentIdsOf(packId: string): Promise<string[]> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(server.baseURL.replace(/^http/, 'ws') + '/sync', ACCOUNT, doc, {
    params: { token: adminToken() },
    WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
    disableBc: true,
  });
  try {
    await new Promise<void>((synced, failed) => {
      const timer = setTimeout(() => failed(new Error('the stock client did not sync within 10 s')), 10_000);
      provider.once('sync', () => (clearTimeout(timer), synced()));
    });
    const pack = doc.getMap<Y.Map<unknown>>('packs').get(packId);
    return [...((pack?.get('components') as Y.Map<true> | undefined)?.keys() ?? [])].sort();
  } finally {
    provider.destroy();
    doc.destroy();
  }
}

async function openPopup(): Promise<Page> {
  const popup = await context.newPage();
  await popup.goto(`chrome-extension://${extensionId}/popup.html`);
  await expect(popup.locator('body[data-ready]')).toBeAttached();
  return popup;
}

const packItems = (popup: Page) => popup.getByRole('list', { name: 'Packs that need attention' }).getByRole('listitem');

test('options: a bad token gets a clear error; the demo admin token works and names the account', async () => {
  const options = await context.newPage();
  await options.goto(`chrome-extension://${extensionId}/options.html`);
  await expect(options.locator('body[data-ready]')).toBeAttached();
  await options.getByLabel('Server address').fill(server.baseURL);

  await options.getByLabel('Token').fill('not-a-real-token');
  await options.getByRole('button', { name: 'Check' }).click();
  await expect(options.getByRole('status')).toHaveText(/refused this token \(401\)/);

  await options.getByLabel('Server address').fill('http://127.0.0.1:9');
  await options.getByLabel('Token').fill(adminToken());
  await options.getByRole('button', { name: 'Check' }).click();
  await expect(options.getByRole('status')).toHaveText(/Cannot reach http:\/\/127\.0\.0\.1:9/);

  await options.getByLabel('Server address').fill(server.baseURL);
  await options.getByRole('button', { name: 'Save' }).click();
  await expect(options.getByRole('status')).toHaveText(/Saved\. It works: .+ \(admin\) of Demo Publisher \(demo\)/);
  await options.close();
});

test('badge and popup show the packs that need attention; a release and a published version move the badge', async () => {
  const expected = await api<Summary>('GET', `/api/accounts/${ACCOUNT}/summary`);
  expect(expected.badgeCount).toBeGreaterThan(0);

  const cache = await refreshNow();
  expect(cache.error).toBeUndefined();
  expect(await badgeText()).toBe(String(expected.badgeCount));

  const popup = await openPopup();
  await expect(popup.getByRole('status')).toHaveText(/^Last refreshed/);
  await expect(packItems(popup)).toHaveCount(expected.badgeCount);
  for (const pack of expected.packs)
    await expect(packItems(popup).filter({ has: popup.getByRole('link', { name: pack.packName, exact: true }) })).toContainText(
      pack.reasons.join('; '),
    );

  // Release a pack immediately: it no longer needs attention.
  const target = expected.packs.find((pack) => pack.canRelease && !pack.pendingRelease)!;
  await release(target.packId, { releaseSchedule: 'IMMEDIATELY' });
  await refreshNow();
  expect(await badgeText()).toBe(String(expected.badgeCount - 1));
  await expect(popup.getByRole('link', { name: target.packName, exact: true })).toHaveCount(0);

  // Publish a newer version of one of its components through the API: Available again.
  const [componentId] = await componentIdsOf(target.packId);
  expect(componentId, `${target.packName} holds components`).toBeDefined();
  await api('POST', `/api/accounts/${ACCOUNT}/components/${componentId}/versions`);
  await refreshNow();
  expect(await badgeText()).toBe(String(expected.badgeCount));
  await expect(packItems(popup).filter({ has: popup.getByRole('link', { name: target.packName, exact: true }) })).toContainText(
    '1 Available',
  );

  // Each pack opens in the PWA at /packs/:id.
  const [tab] = await Promise.all([context.waitForEvent('page'), popup.getByRole('link', { name: target.packName, exact: true }).click()]);
  expect(tab.url()).toBe(`${server.baseURL}/packs/${target.packId}`);
  await tab.close();
  await popup.close();
});

test('a release auto-applied tomorrow: listed with its date, one reminder notification with its release notes', async () => {
  const summary = await api<Summary>('GET', `/api/accounts/${ACCOUNT}/summary`);
  const pack = summary.packs.find((p) => p.canRelease && !p.pendingRelease)!;
  // Tomorrow in the publisher's time zone: its start is less than 24 hours away, so it is reminded now.
  const tomorrow = todayIn(summary.timeZone, new Date(Date.now() + 86_400_000));
  await release(pack.packId, { releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE', releaseOnDate: tomorrow, notes: 'Retries NetSuite calls.' });

  // What the reminder says: chrome.notifications.getAll gives only ids, so the worker's calls are recorded.
  const worker = await backgroundWorker();
  await worker.evaluate(() => {
    const scope = globalThis as unknown as { shownReminders: chrome.notifications.NotificationCreateOptions[] };
    scope.shownReminders = [];
    const create = chrome.notifications.create.bind(chrome.notifications) as (
      id: string,
      options: chrome.notifications.NotificationCreateOptions,
    ) => Promise<string>;
    (chrome.notifications as unknown as { create: typeof create }).create = (id, options) => {
      scope.shownReminders.push(options);
      return create(id, options);
    };
  });
  await refreshNow();
  await refreshNow(); // a second refresh must not remind again
  const reminders = await worker.evaluate(
    () => (globalThis as unknown as { shownReminders: chrome.notifications.NotificationCreateOptions[] }).shownReminders,
  );
  const mine = reminders.filter((options) => options.title?.startsWith(`${pack.packName}:`));
  expect(mine).toHaveLength(1);
  expect(mine[0]?.message).toContain('\nRelease notes: Retries NetSuite calls.');
  const notified = await worker.evaluate(async () => (await chrome.storage.local.get('notifiedReleases')).notifiedReleases as string[]);
  expect(notified.filter((key) => key.startsWith(`${pack.packId}#`))).toHaveLength(1);
  const shown = await worker.evaluate(() => chrome.notifications.getAll());
  expect(Object.keys(shown).filter((id) => id.includes(`\n${pack.packId}\n`))).toHaveLength(1);

  const popup = await openPopup();
  const dates = popup.getByRole('list', { name: 'Next release dates' }).getByRole('listitem');
  await expect(dates.filter({ has: popup.getByRole('link', { name: pack.packName, exact: true }) })).toContainText(
    `on ${formatDate(tomorrow, dateStyleOf(summary))}`,
  );
  await expect(packItems(popup).filter({ has: popup.getByRole('link', { name: pack.packName, exact: true }) })).toContainText(
    `pending until ${formatDate(tomorrow, dateStyleOf(summary))}`,
  );
  await popup.close();
});

test('offline: the server is gone, the badge and popup work from the cache, marked stale', async () => {
  const before = await badgeText();
  await server.stop({ keepData: false });
  const cache = await refreshNow();
  expect(cache.error?.code).toBe('UNREACHABLE');
  expect(cache.summary).toBeDefined();
  expect(await badgeText()).toBe(before);

  const popup = await openPopup();
  await expect(popup.getByRole('status')).toHaveText(/^Offline: showing the summary of .+ \(stale\)\.$/);
  await expect(packItems(popup)).toHaveCount(Number(before));
  // The popup's Refresh asks the worker (runtime message) for a new attempt: still offline, still the cached list.
  const attemptedAt = () =>
    popup.evaluate(async () => ((await chrome.storage.local.get('cache')).cache as { attemptedAt: string }).attemptedAt);
  const lastAttempt = await attemptedAt();
  await popup.getByRole('button', { name: 'Refresh' }).click();
  await expect.poll(attemptedAt).not.toBe(lastAttempt);
  await expect(popup.getByRole('status')).toHaveText(/^Offline: showing the summary of .+ \(stale\)\.$/);
  await expect(packItems(popup)).toHaveCount(Number(before));
  await popup.close();
});
