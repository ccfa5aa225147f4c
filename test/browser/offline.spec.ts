/**
 * Offline: with the network gone the page keeps working, a reload is served by the service worker
 * from its precache and the local database, and the edit reaches the other admin once back online.
 * And the other side of the service worker: a new deployment is offered with an update prompt.
 */
import { appendFileSync, cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { expect, test } from './fixtures.ts';
import {
  addComponents,
  addPack,
  adminToken,
  deviceOptions,
  expectVersions,
  packOption,
  publishComponent,
  screenshot,
  syncStatus,
  twoAdmins,
  unique,
} from './page-helpers.ts';

test('edit offline, reload offline, then the other admin has the edit once back online', async ({ browser, server }) => {
  const { avery, blake, a, b } = await twoAdmins(browser, server);
  try {
    // The service worker has precached the app shell once it is active.
    await a.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });

    const tag = unique();
    const name = `Travel Pack ${tag}`;
    const component = `Train Sync ${tag}`;
    await publishComponent(server, adminToken(server, 0), component, 'PROCESS');
    await addPack(a, name, 'Single Attachment', 'Written online.');
    await addComponents(a, tag, [component]);
    await packOption(b, name).click();
    await expect(b.getByLabel('Description')).toHaveValue('Written online.');

    await avery.setOffline(true);
    await expect(syncStatus(a)).toHaveText(/^Offline/);
    await a.getByLabel('Description').fill('Written offline, on a train.');
    await a.getByRole('button', { name: 'Save' }).click();
    await expect(syncStatus(a)).toHaveText('Offline — 1 change not yet synced');

    // A command (release) waits in the outbox until the network returns.
    await a.getByRole('button', { name: 'Release Integration Pack' }).click();
    await a.getByRole('dialog', { name: 'Integration Pack Release' }).getByRole('button', { name: 'OK' }).click();
    await expect(a.getByText('Queued — will run when back online')).toBeVisible();
    await expect(syncStatus(a)).toContainText('1 command queued');
    await expect(a.getByRole('button', { name: 'Release Integration Pack' })).toBeDisabled();

    // Reload with no network: the shell comes from the service worker, the pack from IndexedDB.
    const reloaded = await a.reload();
    expect(reloaded?.fromServiceWorker()).toBe(true);
    await expect(a.getByLabel('Description')).toHaveValue('Written offline, on a train.');
    await expect(syncStatus(a)).toHaveText(/^Offline/);
    await screenshot(a, 'desktop-7-offline-after-reload');
    // The other admin has not seen it.
    await expect(b.getByLabel('Description')).toHaveValue('Written online.');

    await avery.setOffline(false);
    await expect(syncStatus(a)).toHaveText('Saved', { timeout: 15_000 });
    await expect(b.getByLabel('Description')).toHaveValue('Written offline, on a train.');
    // The queued release ran once the network returned.
    await expectVersions(b, component, { type: 'Process', current: '1', pending: '', available: '' });
    await expect(syncStatus(a)).not.toContainText('queued');
  } finally {
    await avery.close();
    await blake.close();
  }
});

/** Serves a copy of dist/ (with the SPA fallback) so a test can "deploy" a new version of it. */
async function serveCopyOfDist(): Promise<{ url: string; dir: string; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'ip-dist-'));
  cpSync('dist', dir, { recursive: true });
  const types: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript',
    '.css': 'text/css',
    '.png': 'image/png',
    '.webmanifest': 'application/manifest+json',
  };
  const server = createServer((request, response) => {
    const path = normalize(decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    let file = join(dir, path);
    if (!existsSync(file) || !statSync(file).isFile()) file = join(dir, 'index.html');
    response.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-cache' });
    response.end(readFileSync(file));
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    dir,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((closed) => server.close(() => closed()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

test('a newly deployed version is offered with "A new version is available — Reload"', async ({ browser }) => {
  const site = await serveCopyOfDist();
  const context = await browser.newContext(deviceOptions());
  try {
    const page = await context.newPage();
    await page.goto(site.url);
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await expect(page.getByText('A new version is available')).toBeHidden();

    // Deploy: any byte change of the service worker is a new version.
    appendFileSync(join(site.dir, 'sw.js'), '\n// a new deployment\n');
    await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.getRegistration();
      await registration?.update();
    });
    const prompt = page.getByRole('region', { name: 'Update' });
    await expect(prompt).toContainText('A new version is available');
    // Reload: the waiting worker takes over and the page loads again under it.
    const reloaded = page.waitForEvent('load');
    await prompt.getByRole('button', { name: 'Reload' }).click();
    await reloaded;
    expect(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)).toBeNull();
    await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Update' })).toHaveCount(0);
  } finally {
    await context.close();
    await site.close();
  }
});

test('installable by Chromium: manifest with name, icons 192/512 and maskable, standalone, a service worker', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  const cdp = await page.context().newCDPSession(page);
  const { installabilityErrors } = (await cdp.send('Page.getInstallabilityErrors')) as {
    installabilityErrors: { errorId: string }[];
  };
  // Playwright's contexts are off the record, where Chromium never offers to install ("in-incognito");
  // every other criterion (manifest, icons, display, service worker, secure origin) must pass.
  expect(installabilityErrors.map((error) => error.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);

  const { url, data } = (await cdp.send('Page.getAppManifest')) as { url: string; data: string };
  expect(url).toMatch(/\/manifest\.webmanifest$/);
  const manifest = JSON.parse(data) as {
    name: string;
    display: string;
    start_url: string;
    theme_color: string;
    icons: { sizes: string; purpose?: string; src: string }[];
  };
  expect(manifest).toMatchObject({ name: 'Integration Packs', display: 'standalone', start_url: '/' });
  expect(manifest.icons.map((icon) => `${icon.sizes} ${icon.purpose ?? 'any'}`)).toEqual([
    '192x192 any',
    '512x512 any',
    '512x512 maskable',
  ]);
  for (const icon of manifest.icons) {
    const response = await page.request.get(icon.src);
    expect(response.headers()['content-type']).toContain('image/png');
  }
});
