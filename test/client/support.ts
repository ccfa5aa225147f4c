/** Helpers for the client-core tests: a fresh fake IndexedDB per test, sessions, and the mirror check. */
import { IDBFactory, IDBKeyRange } from 'fake-indexeddb';
import * as Y from 'yjs';
import {
  readAccount,
  readAllReleases,
  readCatalog,
  readRecentHistory,
  Root,
  readManagedAccounts,
  readPacks,
  readTombstones,
  type PublishedComponent,
  type PublisherAccount,
} from '../../shared/index.ts';
import type { Session } from '../../client/core/api.ts';
import type { PackDb } from '../../client/core/db.ts';
import { createWorkspace, type LocalWorkspace, type WorkspaceOptions } from '../../client/core/workspace.ts';

export const adminSession = (overrides: Partial<Session> = {}): Session => ({
  serverUrl: 'http://127.0.0.1:9',
  token: 'token-admin',
  accountId: 'acct-1',
  role: 'admin',
  personId: 'person-ada',
  personName: 'Ada',
  ...overrides,
});

/** A workspace on its own in-memory IndexedDB, offline unless told otherwise. */
export async function offlineWorkspace(
  options: WorkspaceOptions & { session?: Partial<Session> } = {},
): Promise<LocalWorkspace & { factory: IDBFactory }> {
  const factory = options.indexedDB ?? new IDBFactory();
  const workspace = await createWorkspace(adminSession(options.session), { connect: false, ...options, indexedDB: factory, IDBKeyRange });
  return Object.assign(workspace, { factory });
}

export { IDBFactory, IDBKeyRange };

/** Server-side writes, as the server makes them (a plain map per root). */
export const SERVER_ORIGIN = Symbol('test server');

export function seedAccount(doc: Y.Doc, account: Partial<PublisherAccount> = {}, origin: unknown = SERVER_ORIGIN): void {
  doc.transact(() => {
    doc.getMap('account').set('settings', { id: 'acct-1', name: 'Acme', multiInstallEnabled: true, timeZone: 'UTC', ...account });
  }, origin);
}

export function seedCatalog(doc: Y.Doc, components: PublishedComponent[], origin: unknown = SERVER_ORIGIN): void {
  doc.transact(() => {
    for (const component of components) doc.getMap('catalog').set(component.id, component);
  }, origin);
}

export const component = (id: string, name: string, type: PublishedComponent['type'] = 'PROCESS', versions = [1]): PublishedComponent => ({
  id,
  name,
  type,
  versions,
});

/** Applies `from`'s state to `to` as the provider would (a remote origin). */
export function deliver(from: Y.Doc, to: Y.Doc, origin: unknown = 'remote'): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), origin);
}

const strip = <T extends object>(rows: T[], ...keys: string[]) =>
  rows.map((row) => Object.fromEntries(Object.entries(row).filter(([key, value]) => !keys.includes(key) && value !== undefined)));
const byKey = (key: string) => (a: Record<string, unknown>, b: Record<string, unknown>) => String(a[key]).localeCompare(String(b[key]));

/** What the document says, in table shape. */
export function documentView(doc: Y.Doc) {
  return {
    packs: strip(readPacks(doc)).sort(byKey('id')),
    publications: readPacks(doc)
      .flatMap((pack) => pack.componentIds.map((componentId) => `${pack.id}/${componentId}`))
      .sort(),
    components: strip([...readCatalog(doc).values()]).sort(byKey('id')),
    releases: strip([...readAllReleases(doc).entries()].flatMap(([packId, list]) => list.map((release) => ({ ...release, packId })))).sort(
      (a, b) => `${a.packId}/${a.number}`.localeCompare(`${b.packId}/${b.number}`),
    ),
    rollout: strip([...doc.getMap<object>(Root.rollout).values()] as Record<string, unknown>[]).sort(byKey('packId')),
    managedAccounts: strip(readManagedAccounts(doc)).sort(byKey('id')),
    history: strip(readRecentHistory(doc)).sort(byKey('id')),
    account: readAccount(doc) ?? null,
    tombstones: strip([...readTombstones(doc).values()]).sort(byKey('packId')),
  };
}

/** What the tables say, in the same shape. */
export async function tableView(db: PackDb) {
  return {
    packs: strip(await db.packs.toArray(), 'nameKey').sort(byKey('id')),
    publications: (await db.publications.toArray()).map((row) => `${row.packId}/${row.componentId}`).sort(),
    components: strip(await db.components.toArray(), 'nameKey').sort(byKey('id')),
    releases: strip(await db.releases.toArray()).sort((a, b) => `${a.packId}/${a.number}`.localeCompare(`${b.packId}/${b.number}`)),
    rollout: strip(await db.rollout.toArray()).sort(byKey('packId')),
    managedAccounts: strip(await db.managedAccounts.toArray()).sort(byKey('id')),
    history: strip(await db.history.toArray()).sort(byKey('id')),
    account: (await db.account.get('settings'))?.value ?? null,
    tombstones: strip(await db.tombstones.toArray()).sort(byKey('packId')),
  };
}

/** Waits (bounded) until a condition holds, awaiting the event loop between checks. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, limit = 2000): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`Timed out waiting for ${what}.`);
}
