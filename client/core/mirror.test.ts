import { afterEach, expect, test, vi } from 'vitest';
// @ts-expect-error the build file itself has no type declarations
vi.mock('solid-js', async () => await import('../../node_modules/solid-js/dist/solid.js'));
import * as Y from 'yjs';
import { readCatalog, readPacks, writePackName } from '../../shared/index.ts';
import {
  component,
  deliver,
  documentView,
  offlineWorkspace,
  seedAccount,
  seedCatalog,
  SERVER_ORIGIN,
  tableView,
} from '../../test/client/support.ts';
import { changedKeys } from './projection.ts';
import type { LocalWorkspace } from './workspace.ts';

const open: LocalWorkspace[] = [];
afterEach(async () => {
  for (const workspace of open.splice(0)) await workspace.close();
});

test('changedKeys names the top-level entry of a nested change', () => {
  const doc = new Y.Doc();
  seedCatalog(doc, [component('c1', 'Orders')]);
  doc.transact(() => {
    const pack = new Y.Map<unknown>();
    pack.set('components', new Y.Map());
    doc.getMap('packs').set('p1', pack);
  });
  const seen: string[] = [];
  doc.on('afterTransaction', (transaction: Y.Transaction) => {
    for (const [root, keys] of changedKeys(transaction)) for (const key of keys) seen.push(`${root}/${key}`);
  });
  writePackName(doc, 'p1', 'Renamed');
  ((doc.getMap('packs').get('p1') as Y.Map<unknown>).get('components') as Y.Map<true>).set('c1', true);
  seedCatalog(doc, [component('c2', 'Invoices')]);
  doc.getMap('elsewhere').set('x', 1);
  expect(seen).toEqual(['packs/p1', 'packs/p1', 'catalog/c2']);
});

test('the log is compacted, keeping this device’s unstored edits whole; a reload sees the same', async () => {
  const workspace = await offlineWorkspace({ compactAbove: 5 });
  open.push(workspace);
  const server = new Y.Doc();
  seedAccount(server);
  for (let i = 0; i < 12; i++) {
    seedCatalog(server, [component(`c${i}`, `Component ${i}`)], SERVER_ORIGIN);
    deliver(server, workspace.doc);
    await workspace.settled();
  }
  const added = await workspace.addPack({ name: 'Orders', description: '', installationType: 'SINGLE' });
  const packId = added.ok ? added.value : '';
  await workspace.addComponents(packId, ['c1', 'c2']);
  await workspace.removeComponent(packId, 'c1');
  await workspace.settled();

  const rows = await workspace.db.yUpdates.toArray();
  expect(rows.length).toBeLessThanOrEqual(6);
  expect(rows.filter((row) => row.clientId !== undefined)).toHaveLength(3);
  expect(workspace.status()).toEqual({ state: 'offline', unstored: 3 });
  const packs = readPacks(workspace.doc);
  await workspace.close();
  open.splice(0);

  const reloaded = await offlineWorkspace({ indexedDB: workspace.factory });
  open.push(reloaded);
  expect(readPacks(reloaded.doc)).toEqual(packs);
  expect(readCatalog(reloaded.doc).size).toBe(12);
  expect(reloaded.status()).toEqual({ state: 'offline', unstored: 3 });
  expect(await tableView(reloaded.db)).toEqual(documentView(reloaded.doc));
});
