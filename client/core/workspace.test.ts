import { afterEach, describe, expect, test, vi } from 'vitest';
// Solid's reactive browser build: under Node, 'solid-js' resolves to its non-reactive server build.
// @ts-expect-error the build file itself has no type declarations
vi.mock('solid-js', async () => await import('../../node_modules/solid-js/dist/solid.js'));
import * as Y from 'yjs';
import { readPack, readPacks } from '../../shared/index.ts';
import {
  component,
  deliver,
  documentView,
  offlineWorkspace,
  seedAccount,
  seedCatalog,
  tableView,
  until,
} from '../../test/client/support.ts';
import type { LocalWorkspace } from './workspace.ts';

const open: LocalWorkspace[] = [];
afterEach(async () => {
  for (const workspace of open.splice(0)) await workspace.close();
});

async function workspaceWithCatalog(options: Parameters<typeof offlineWorkspace>[0] = {}) {
  const workspace = await offlineWorkspace(options);
  open.push(workspace);
  const server = new Y.Doc();
  seedAccount(server);
  seedCatalog(server, [component('c1', 'Orders'), component('c2', 'Invoices'), component('api', 'Customer API', 'API_SERVICE')]);
  deliver(server, workspace.doc);
  await workspace.settled();
  return { workspace, server };
}

describe('edits', () => {
  test('a bad edit is refused with a readable error and writes nothing', async () => {
    const { workspace } = await workspaceWithCatalog();
    const rowsBefore = await workspace.db.yUpdates.count();
    const result = await workspace.addPack({ name: '   ', description: '', installationType: 'SINGLE' });
    expect(result).toMatchObject({ ok: false, error: { code: 'NAME_REQUIRED', message: 'Integration Pack Name is required.' } });
    const tooLong = await workspace.addPack({ name: 'Orders', description: 'x'.repeat(501), installationType: 'SINGLE' });
    expect(tooLong.ok || tooLong.error.code).toBe('DESCRIPTION_TOO_LONG');
    await workspace.settled();
    expect(await workspace.db.packs.count()).toBe(0);
    expect(await workspace.db.yUpdates.count()).toBe(rowsBefore);
    expect(readPacks(workspace.doc)).toEqual([]);
  });

  test('add, save, add components, remove: the doc, the tables and the log agree', async () => {
    const { workspace } = await workspaceWithCatalog();
    const added = await workspace.addPack({ name: ' Orders sync ', description: 'first', installationType: 'MULTI' });
    expect(added.ok).toBe(true);
    const packId = added.ok ? added.value : '';
    expect(readPack(workspace.doc, packId)).toMatchObject({
      name: 'Orders sync',
      description: 'first',
      installationType: 'MULTI',
      createdBy: 'Ada',
    });

    expect((await workspace.savePack(packId, { name: 'Orders', description: 'second' })).ok).toBe(true);
    const refused = await workspace.addComponents(packId, ['c1', 'api']);
    expect(refused).toMatchObject({ ok: false, error: { code: 'API_SERVICE_IN_MULTI' } });
    expect((await workspace.addComponents(packId, ['c1', 'c2'])).ok).toBe(true);
    expect((await workspace.removeComponent(packId, 'c2')).ok).toBe(true);
    expect(await workspace.removeComponent(packId, 'c2')).toMatchObject({ ok: false, error: { code: 'COMPONENT_NOT_IN_PACK' } });

    await workspace.settled();
    expect(await tableView(workspace.db)).toEqual(documentView(workspace.doc));
    expect(await workspace.db.packs.get(packId)).toMatchObject({
      name: 'Orders',
      description: 'second',
      componentIds: ['c1'],
      nameKey: 'orders',
    });
    // The log alone rebuilds the same document.
    const rebuilt = new Y.Doc();
    for (const row of await workspace.db.yUpdates.toArray()) Y.applyUpdate(rebuilt, row.update);
    expect(readPacks(rebuilt)).toEqual(readPacks(workspace.doc));
  });

  test('viewers cannot edit', async () => {
    const workspace = await offlineWorkspace({ session: { role: 'viewer' } });
    open.push(workspace);
    const result = await workspace.addPack({ name: 'Orders', description: '', installationType: 'SINGLE' });
    expect(result).toMatchObject({ ok: false, error: { code: 'READ_ONLY' } });
  });

  test('Multiple Attachments needs the multi-install feature', async () => {
    const workspace = await offlineWorkspace();
    open.push(workspace);
    const server = new Y.Doc();
    seedAccount(server, { multiInstallEnabled: false });
    deliver(server, workspace.doc);
    const result = await workspace.addPack({ name: 'Orders', description: '', installationType: 'MULTI' });
    expect(result).toMatchObject({ ok: false, error: { code: 'MULTI_INSTALL_DISABLED' } });
  });
});

describe('a write that fails', () => {
  test('is reverted in the document, reported, and written later with its inverse', async () => {
    const errors: unknown[] = [];
    const { workspace } = await workspaceWithCatalog({ compactAbove: 10_000, onError: (error) => errors.push(error) });
    const added = await workspace.addPack({ name: 'Orders', description: 'kept', installationType: 'SINGLE' });
    const packId = added.ok ? added.value : '';
    await workspace.settled();

    let failWrites = true;
    workspace.db.yUpdates.hook('creating', () => {
      if (failWrites) throw new Error('disk full');
    });

    const saved = await workspace.savePack(packId, { name: 'Renamed', description: 'lost' });
    expect(saved).toMatchObject({ ok: false, error: { code: 'NOT_STORED' } });
    expect(saved.ok || saved.error.message).toContain('disk full');
    expect(readPack(workspace.doc, packId)).toMatchObject({ name: 'Orders', description: 'kept' });
    expect(await workspace.db.packs.get(packId)).toMatchObject({ name: 'Orders', description: 'kept' });
    expect(workspace.undoSteps(packId)().redo).toBeUndefined();

    const newPack = await workspace.addPack({ name: 'Never', description: '', installationType: 'SINGLE' });
    expect(newPack.ok).toBe(false);
    expect(readPacks(workspace.doc).map((pack) => pack.name)).toEqual(['Orders']);

    expect(errors.length).toBeGreaterThan(0);
    failWrites = false;
    expect((await workspace.savePack(packId, { name: 'Orders 2', description: 'kept' })).ok).toBe(true);
    await workspace.settled();
    expect(await tableView(workspace.db)).toEqual(documentView(workspace.doc));
    const rebuilt = new Y.Doc();
    for (const row of await workspace.db.yUpdates.toArray()) Y.applyUpdate(rebuilt, row.update);
    expect(rebuilt.store.pendingStructs).toBeNull();
    expect(readPacks(rebuilt)).toEqual(readPacks(workspace.doc));
  });
});

describe('undo and redo', () => {
  test('undo my own edits only; a remote edit stays', async () => {
    const { workspace, server } = await workspaceWithCatalog();
    const added = await workspace.addPack({ name: 'Orders', description: 'one', installationType: 'SINGLE' });
    const packId = added.ok ? added.value : '';
    await workspace.savePack(packId, { name: 'Orders', description: 'two' });
    await workspace.addComponents(packId, ['c1']);
    deliver(workspace.doc, server);
    // Someone else renames the pack.
    const theirs = new Y.Doc();
    deliver(server, theirs);
    (theirs.getMap('packs').get(packId) as Y.Map<unknown>).set('name', 'Their name');
    deliver(theirs, workspace.doc);

    expect(workspace.undoSteps(packId)()).toEqual({ undo: 'adding Orders to Their name' });
    workspace.undo(packId);
    await workspace.settled();
    expect(readPack(workspace.doc, packId)).toMatchObject({ name: 'Their name', description: 'two', componentIds: [] });
    expect(workspace.undoSteps(packId)()).toEqual({ undo: 'description of Their name', redo: 'adding Orders to Their name' });
    workspace.undo(packId);
    await workspace.settled();
    expect(readPack(workspace.doc, packId)).toMatchObject({ name: 'Their name', description: 'one' });
    // Adding the pack itself cannot be undone: nothing is left to undo.
    expect(workspace.undoSteps(packId)()).toEqual({ redo: 'description of Their name' });
    workspace.redo(packId);
    await workspace.settled();
    expect(readPack(workspace.doc, packId)).toMatchObject({ description: 'two' });
    expect(await tableView(workspace.db)).toEqual(documentView(workspace.doc));
  });

  test('undo is per pack: undoing on one pack never changes another', async () => {
    const { workspace } = await workspaceWithCatalog();
    const first = await workspace.addPack({ name: 'Finance Close Toolkit', description: 'one', installationType: 'SINGLE' });
    const second = await workspace.addPack({ name: 'Orders', description: 'a', installationType: 'SINGLE' });
    const [firstId, secondId] = [first.ok ? first.value : '', second.ok ? second.value : ''];
    await workspace.savePack(firstId, { name: 'Finance Close Toolkit', description: 'two' });
    await workspace.savePack(secondId, { name: 'Orders v2', description: 'b' });
    await workspace.removeComponent(secondId, 'c1'); // refused: not in the pack, not on the stack
    expect(workspace.undoSteps(firstId)()).toEqual({ undo: 'description of Finance Close Toolkit' });
    expect(workspace.undoSteps(secondId)()).toEqual({ undo: 'name and description of Orders v2' });

    workspace.undo(firstId);
    await workspace.settled();
    expect(readPack(workspace.doc, firstId)).toMatchObject({ description: 'one' });
    expect(readPack(workspace.doc, secondId)).toMatchObject({ name: 'Orders v2', description: 'b' });
    expect(workspace.undoSteps(firstId)()).toEqual({ redo: 'description of Finance Close Toolkit' });
    expect(workspace.undoSteps(secondId)()).toEqual({ undo: 'name and description of Orders v2' });
  });
});

describe('offline boot', () => {
  test('a reload has the same packs, tables and outbox, with no network', async () => {
    const { workspace } = await workspaceWithCatalog();
    const factory = (workspace as LocalWorkspace & { factory: IDBFactory }).factory;
    const added = await workspace.addPack({ name: 'Orders', description: '', installationType: 'SINGLE' });
    const packId = added.ok ? added.value : '';
    await workspace.addComponents(packId, ['c1']);
    const deletion = await workspace.deletePack(packId);
    expect(deletion).toMatchObject({ ok: true, value: { queued: true } });
    const release = await workspace.release(packId, { releaseSchedule: 'IMMEDIATELY' });
    expect(release.ok).toBe(true);
    await workspace.settled();
    const packsBefore = readPacks(workspace.doc);
    const outboxBefore = await workspace.db.outbox.toArray();
    expect(outboxBefore.map((row) => row.command.type).sort()).toEqual(['DELETE_PACK', 'RELEASE']);
    await workspace.close();
    open.splice(open.indexOf(workspace), 1);

    const reloaded = await offlineWorkspace({ indexedDB: factory });
    open.push(reloaded);
    expect(readPacks(reloaded.doc)).toEqual(packsBefore);
    expect(await reloaded.db.outbox.toArray()).toEqual(outboxBefore);
    expect(reloaded.packs().map((pack) => pack.name)).toEqual(['Orders']);
    expect(reloaded.status()).toEqual({ state: 'offline', unstored: 2 });
    await until(() => reloaded.pendingCommands().length === 2, 'the outbox accessor');
    expect(await tableView(reloaded.db)).toEqual(documentView(reloaded.doc));
  });

  test('release and delete are checked before they are queued', async () => {
    const { workspace } = await workspaceWithCatalog();
    const added = await workspace.addPack({ name: 'Orders', description: '', installationType: 'SINGLE' });
    const packId = added.ok ? added.value : '';
    expect(await workspace.release(packId, { releaseSchedule: 'IMMEDIATELY' })).toMatchObject({
      ok: false,
      error: { code: 'NOTHING_TO_RELEASE' },
    });
    await workspace.addComponents(packId, ['c1']);
    expect(await workspace.release(packId, { releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE' })).toMatchObject({
      ok: false,
      error: { code: 'RELEASE_DATE_REQUIRED' },
    });
    expect(await workspace.deletePack('nope')).toMatchObject({ ok: false, error: { code: 'PACK_NOT_FOUND' } });
    expect(await workspace.db.outbox.count()).toBe(0);
  });
});
