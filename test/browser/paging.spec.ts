/**
 * The Rollout and History panels page through the whole of a pack's installations and history, which
 * the synced document does not carry (it holds the counts and the newest records): "Show more
 * installations" and "Show more history" fetch the next pages from the server, and what was fetched
 * stays on the device, so a reload without network still shows it.
 */
import { packIdFor } from '../../sync-server/commands/create-pack.ts';
import type { RunningServer } from './fixtures.ts';
import { expect, test } from './fixtures.ts';
import { adminToken, DEMO, openPackNamed, publishComponent, signIn, unique } from './page-helpers.ts';

const INSTANCES = 120;
const ACCOUNTS = ['demo-m1', 'demo-m2', 'demo-m3'];

async function command(server: RunningServer, token: string, idempotencyKey: string, body: Record<string, unknown>) {
  const response = await fetch(`${server.baseURL}/api/accounts/${DEMO}/commands`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ idempotencyKey, command: body }),
  });
  const result = (await response.json()) as { status: string; message: string };
  if (result.status !== 'SUCCESS') throw new Error(`${String(body.type)}: ${result.message}`);
}

test('Rollout and History page through every installation and record, and read them offline after a reload', async ({ page, server }) => {
  test.setTimeout(120_000);
  const tag = unique();
  const name = `Paging ${tag}`;
  const admin = adminToken(server, 0);
  const component = await publishComponent(server, admin, `Paging Sync ${tag}`, 'PROCESS');
  const createKey = `paging-${tag}-create`;
  await command(server, admin, createKey, { type: 'CREATE_PACK', name, installationType: 'MULTI', componentIds: [component.id] });
  const packId = packIdFor(createKey);
  await command(server, admin, `paging-${tag}-release`, { type: 'RELEASE', packId, releaseSchedule: 'IMMEDIATELY' });
  for (let start = 0; start < INSTANCES; start += 20)
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        command(server, admin, `paging-${tag}-install-${start + i}`, {
          type: 'INSTALL',
          packId,
          managedAccountId: ACCOUNTS[(start + i) % ACCOUNTS.length],
          integrationPackOverrideName: `Site ${String(start + i + 1).padStart(3, '0')}`,
        }),
      ),
    );
  const records = INSTANCES + 2; // Add, Release, and one per install

  await signIn(page, admin);
  await openPackNamed(page, name);
  const rollout = page.getByRole('region', { name: 'Rollout' });
  const history = page.getByRole('region', { name: 'History' });
  const rows = rollout.getByRole('table').getByRole('row');
  const items = history.getByRole('listitem');

  await test.step('Rollout: the counts at once, then the installations page by page', async () => {
    await expect(rollout).toContainText(`${INSTANCES} instances in 3 managed accounts`);
    await expect(rows).toHaveCount(50 + 1);
    await expect(rollout).toContainText(`Showing 50 of ${INSTANCES} instances.`);
    const more = rollout.getByRole('button', { name: 'Show more installations' });
    await more.click();
    await expect(rows).toHaveCount(100 + 1);
    await more.click();
    await expect(rows).toHaveCount(INSTANCES + 1);
    await expect(more).toBeHidden();
    await expect(rollout.getByRole('rowheader', { name: 'Northwind Traders' })).toHaveCount(INSTANCES / 3);
  });

  await test.step('History: the newest records at once, then older pages down to the first', async () => {
    await expect(items).toHaveCount(20);
    const more = history.getByRole('button', { name: 'Show more history' });
    for (let page = 0; page < 10 && (await more.isVisible()); page++) {
      const before = await items.count();
      await more.click();
      await expect.poll(() => items.count()).toBeGreaterThan(before);
    }
    await expect(more).toBeHidden();
    await expect(items).toHaveCount(records);
    await expect(items.last()).toContainText(`Add Integration Pack ${name}`);
    await expect(items.first()).toContainText(`Install ${name}`);
  });

  await test.step('offline, after a reload: everything fetched is still there', async () => {
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.context().setOffline(true);
    await page.reload();
    await openPackNamed(page, name);
    await expect(rows).toHaveCount(INSTANCES + 1);
    await expect(items).toHaveCount(20);
    const more = history.getByRole('button', { name: 'Show more history' });
    for (let page = 0; page < 10 && (await items.count()) < records; page++) await more.click();
    await expect(items).toHaveCount(records);
    await page.context().setOffline(false);
  });
});
