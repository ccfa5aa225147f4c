/**
 * Issue 16 items 8 and 11: the managed account's page is part of the local-first client. It reads
 * offline (a reload without network shows what this device last received, from IndexedDB) and
 * queues its commands in the device's outbox, sent once the network returns, each once. On a phone
 * its table fits the screen: each installation is a card with its actions on screen.
 */
import { createHash } from 'node:crypto';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { fullShot, runCommand, VIEWPORTS } from './admin-helpers.ts';
import { expect, type RunningServer, test } from './fixtures.ts';
import { adminToken, DEMO, publishComponent, syncStatus, unique } from './page-helpers.ts';

const MANAGED_ACCOUNT = 'demo-m3';

function managedToken(server: RunningServer): string {
  const token = server.tokens[DEMO]?.managed[MANAGED_ACCOUNT]?.[0];
  if (!token) throw new Error(`No managed token for ${MANAGED_ACCOUNT} in demo-tokens.json.`);
  return token;
}

/** A released Multiple Attachments pack installed twice in the managed account (by the admin, through the API). */
async function installedTwice(server: RunningServer, tag: string) {
  const admin = adminToken(server, 0);
  const component = await publishComponent(server, admin, `Offline Sync ${tag}`, 'PROCESS');
  const name = `Field Kit ${tag}`;
  // CREATE_PACK names the pack after its idempotency key (sync-server/commands/create-pack.ts packIdFor).
  const key = `create-${tag}-${Date.now()}`;
  const response = await fetch(`${server.baseURL}/api/accounts/${DEMO}/commands`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${admin}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      idempotencyKey: key,
      command: { type: 'CREATE_PACK', name, installationType: 'MULTI', componentIds: [component.id] },
    }),
  });
  expect(((await response.json()) as { status: string }).status).toBe('SUCCESS');
  const packId = createHash('sha256').update(`pack:${key}`).digest('base64url').slice(0, 21);
  await runCommand(server.baseURL, admin, { type: 'RELEASE', packId, releaseSchedule: 'IMMEDIATELY' });
  const north = await runCommand(server.baseURL, admin, {
    type: 'INSTALL',
    packId,
    managedAccountId: MANAGED_ACCOUNT,
    integrationPackOverrideName: 'North',
  });
  const south = await runCommand(server.baseURL, admin, {
    type: 'INSTALL',
    packId,
    managedAccountId: MANAGED_ACCOUNT,
    integrationPackOverrideName: 'South',
  });
  return { name, packId, north: north.instanceId!, south: south.instanceId! };
}

async function signInManaged(page: Page, token: string) {
  await page.goto('/');
  await page.getByLabel('Token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/managed$/);
  await expect(page.getByRole('heading', { name: 'Installed integration packs' })).toBeVisible();
}

const installedRow = (page: Page, name: string) =>
  page
    .getByRole('table')
    .getByRole('row')
    .filter({ has: page.getByRole('rowheader', { name, exact: true }) });

async function expectAxeClean(page: Page, where: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id}: ${violation.help} at ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`);
  expect(serious, `axe violations ${where}`).toEqual([]);
}

async function managedView(server: RunningServer) {
  const response = await fetch(`${server.baseURL}/api/managed`, { headers: { Authorization: `Bearer ${managedToken(server)}` } });
  return (await response.json()) as { instances: { instanceId: string; atomIds: string[] }[] };
}

for (const viewport of VIEWPORTS) {
  test.describe(`at ${viewport.width}x${viewport.height}`, () => {
    test.use({ viewport: { width: viewport.width, height: viewport.height } });

    test('reads offline after a reload, queues commands, and sends them once when back online', async ({ page, context, server }) => {
      // Two reloads, an axe run and a reconnect: more than the default 30 s on two shared cores.
      test.setTimeout(120_000);
      const tag = unique();
      const { name, north, south } = await installedTwice(server, tag);
      const northName = `${name} (North)`;
      const southName = `${name} (South)`;
      await signInManaged(page, managedToken(server));
      await expect(installedRow(page, northName)).toBeVisible();
      await expect(syncStatus(page)).toHaveText('Up to date');
      await page.evaluate(async () => {
        await navigator.serviceWorker.ready;
      });

      await test.step('offline, a reload shows what this device received', async () => {
        await context.setOffline(true);
        await expect(syncStatus(page)).toHaveText(/^Offline/);
        const reloaded = await page.reload();
        expect(reloaded?.fromServiceWorker()).toBe(true);
        await expect(installedRow(page, northName)).toBeVisible();
        await expect(installedRow(page, southName)).toBeVisible();
        await expect(syncStatus(page)).toHaveText(/^Offline — showing what this device received .+\(UTC\)$/);
      });

      await test.step('commands asked for offline wait in the outbox', async () => {
        await page.getByLabel('Installation').selectOption({ label: northName });
        await page.getByLabel('Atom ID').fill(`atom-${tag}`);
        await page.getByRole('button', { name: 'Attach', exact: true }).click();
        await expect(page.getByText('Queued — will run when back online')).toBeVisible();
        await expect(installedRow(page, northName)).toContainText(`Waiting to be sent: Attach Atom atom-${tag} to ${northName}`);

        await installedRow(page, southName)
          .getByRole('button', { name: `Uninstall ${southName}` })
          .click();
        const confirm = page.getByRole('dialog', { name: 'Uninstall integration pack' });
        await confirm.getByRole('button', { name: 'OK' }).click();
        await expect(confirm).toBeHidden();
        await expect(syncStatus(page)).toContainText('2 commands queued');
        await expect(installedRow(page, southName).getByRole('button', { name: `Uninstall ${southName}` })).toBeDisabled();
        await fullShot(page, `managed-${viewport.name}-offline-queued`);
        await expectAxeClean(page, 'with commands queued offline');
        // Nothing reached the server.
        const before = await managedView(server);
        expect(before.instances.find((instance) => instance.instanceId === north)?.atomIds).toEqual([]);
        expect(before.instances.some((instance) => instance.instanceId === south)).toBe(true);
      });

      await test.step('back online, the queue is sent and the page shows the result', async () => {
        await context.setOffline(false);
        await expect(syncStatus(page)).toHaveText('Up to date', { timeout: 15_000 });
        await expect(installedRow(page, southName)).toHaveCount(0);
        await expect(
          installedRow(page, northName).getByRole('button', { name: `Detach Atom atom-${tag} from ${northName}` }),
        ).toBeVisible();
        await expect(page.getByText('Waiting to be sent')).toHaveCount(0);
        await expect(page.getByText('Queued — will run when back online')).toHaveCount(0);
        const after = await managedView(server);
        expect(after.instances.find((instance) => instance.instanceId === north)?.atomIds).toEqual([`atom-${tag}`]);
        expect(after.instances.some((instance) => instance.instanceId === south)).toBe(false);
        await fullShot(page, `managed-${viewport.name}-back-online`);
      });
    });
  });
}

test.describe('on a phone (375x812)', () => {
  test.use({ viewport: { width: 375, height: 812 } });

  test("the managed page's installations fit the screen, with their actions on it", async ({ page, server }) => {
    test.setTimeout(60_000);
    const { name } = await installedTwice(server, unique());
    await signInManaged(page, managedToken(server));
    const row = installedRow(page, `${name} (North)`);
    await expect(row).toBeVisible();
    // Nothing is wider than the screen: no sideways scroll of the page or of the table.
    const widths = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth,
      table: document.querySelector('.managed-table')?.getBoundingClientRect().right ?? 0,
    }));
    expect(widths.page).toBeLessThanOrEqual(375);
    expect(widths.table).toBeLessThanOrEqual(375);
    // The actions are on screen, and the hidden "Actions" header is inside the table, not off it.
    for (const button of [row.getByRole('button', { name: `Uninstall ${name} (North)` })]) {
      const box = (await button.boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(375);
    }
    const header = (await page.getByRole('columnheader', { name: 'Actions' }).boundingBox())!;
    expect(header.x + header.width).toBeLessThanOrEqual(375);
    // Still a table to assistive technology: Version, Atoms, Environments and the actions (the
    // empty Pending Version and date are left out of a card).
    await expect(row.getByRole('cell')).toHaveCount(4);
    await expect(row.getByRole('cell').first()).toHaveText('1');
    await fullShot(page, 'managed-phone-cards');
    await expectAxeClean(page, 'on the phone layout');
  });
});
