import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { currentRelease, derivePublications, readPacks, validatePack } from '../shared/index.ts';
import { authenticate } from './auth.ts';
import { seedDemo, storeIsEmpty } from './seed.ts';
import { createMemoryStore } from './storage/memory.ts';

test('the demo: two accounts, catalogs, packs that keep every rule, releases, managed accounts and tokens per role', async () => {
  const store = createMemoryStore();
  expect(await storeIsEmpty(store)).toBe(true);
  const tokens = await seedDemo(store, { now: new Date('2026-11-01T12:00:00Z') });
  expect(await storeIsEmpty(store)).toBe(false);
  expect((await store.accounts.listAccounts()).map((a) => [a.id, a.multiInstallEnabled])).toEqual([
    ['acme', false],
    ['demo', true],
  ]);

  for (const accountId of ['demo', 'acme']) {
    const stored = await store.docs.load(accountId);
    const doc = new Y.Doc();
    for (const update of stored.updates) Y.applyUpdate(doc, update);
    const records = await store.records.load(accountId);
    const account = records.account!;
    const catalog = new Map(records.catalog.map((component) => [component.id, component]));
    expect(catalog.size).toBe(30);
    expect(new Set([...catalog.values()].map((c) => c.type))).toEqual(new Set(['PROCESS', 'API_SERVICE']));
    expect([...catalog.values()].every((c) => c.versions.length >= 2 && c.versions.length <= 5)).toBe(true);
    const packs = readPacks(doc);
    expect(packs.length).toBeGreaterThanOrEqual(3);
    for (const pack of packs) expect(validatePack(pack, account, catalog)).toEqual({ ok: true, value: undefined });
    expect(packs.some((p) => p.installationType === 'MULTI')).toBe(accountId === 'demo');

    const releases = new Map<string, typeof records.releases>();
    for (const release of records.releases) releases.set(release.packId, [...(releases.get(release.packId) ?? []), release]);
    const rows = packs.flatMap((pack) =>
      derivePublications({ componentIds: pack.componentIds, currentRelease: currentRelease(releases.get(pack.id) ?? []), catalog }),
    );
    expect(rows.some((row) => row.availableVersion !== undefined)).toBe(true);
    expect(rows.some((row) => typeof row.pendingVersion === 'number')).toBe(true);
    for (const list of releases.values()) {
      expect(list.map((r) => r.number)).toEqual(list.map((_, i) => i + 1));
      expect(list.every((r) => r.status === 'SUCCESS')).toBe(true);
    }
    const managed = records.managedAccounts;
    expect(managed).toHaveLength(3);
    const instances = records.instances;
    expect(instances.length).toBeGreaterThanOrEqual(3);
    expect(instances.every((i) => releases.get(i.packId)?.some((r) => r.number === i.releaseNumber))).toBe(true);

    const entry = tokens[accountId]!;
    expect([entry.admin.length, entry.viewer.length, Object.keys(entry.managed).sort()]).toEqual([2, 1, managed.map((m) => m.id).sort()]);
    expect(await authenticate(store.accounts, entry.admin[1])).toMatchObject({ accountId, role: 'admin' });
    expect(await authenticate(store.accounts, entry.viewer[0])).toMatchObject({ accountId, role: 'viewer' });
    const [managedId, [managedToken]] = Object.entries(entry.managed)[0]!;
    expect(await authenticate(store.accounts, managedToken)).toMatchObject({ accountId, role: 'managed', managedAccountId: managedId });
  }
  expect(readPacks(new Y.Doc()).length).toBe(0);
});
