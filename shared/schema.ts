/**
 * How one publisher account lives in a Y.Doc (the interoperability contract in README.md), and what
 * lives where.
 *
 * Client-writable: only the root map `packs` (packId → Y.Map with the plain keys `name`,
 * `description`, `installationType`, `createdAt`, `createdBy` and `components`, a Y.Map of
 * componentId → true). Constrained fields are plain values, never Y.Text, so the server can check
 * and restore them whole.
 *
 * Every other root is server-owned and only the server writes it (a client's write there is refused
 * or reverted). They are a PROJECTION of the server's records, which live in tables in the server's
 * store (sync-server/storage: the truth): what an admin needs offline, rebuilt from the tables when
 * the account loads and rewritten, only what changed, after every change. A projection that differs
 * from the tables is overwritten, never trusted. Plain JSON values under string keys, one level deep:
 *
 * | root              | key          | value                                    | in the tables                  |
 * | ----------------- | ------------ | ---------------------------------------- | ------------------------------ |
 * | `account`         | `settings`   | PublisherAccount                         | accounts                       |
 * | `catalog`         | componentId  | PublishedComponent                       | components, component_versions |
 * | `releases`        | packId       | Release[] (by number)                    | releases, release_components   |
 * | `managedAccounts` | id           | ManagedAccount                           | managed_accounts               |
 * | `deletedPacks`    | packId       | PackTombstone                            | tombstones                     |
 * | `rollout`         | packId       | RolloutSummary (counts; packs installed) | instances, instance_releases   |
 * |                   |              |                                          | (SQLite), instance_attachments |
 * | `recentHistory`   | record id    | HistoryRecord: each pack's newest        | audit (the whole trail)        |
 * |                   |              | RECENT_HISTORY_PER_PACK that changed     |                                |
 * |                   |              | something                                |                                |
 *
 * Only in the tables: each installation (paged by GET /api/accounts/:id/rollout), the whole history
 * with refused commands (GET /api/accounts/:id/history), the schedule of pending release dates, the
 * command results (idempotency) and the client-id bindings. The roots `instances` and `history` of
 * earlier versions are retired: the server keeps them empty (their content moved into the tables).
 */
import * as Y from 'yjs';
import type { IntegrationPack, ManagedAccount, PackTombstone, PublishedComponent, PublisherAccount, Release } from './model.ts';
import type { HistoryRecord } from './history.ts';
import type { RolloutSummary } from './rollout.ts';

export const Root = {
  packs: 'packs',
  account: 'account',
  catalog: 'catalog',
  releases: 'releases',
  managedAccounts: 'managedAccounts',
  deletedPacks: 'deletedPacks',
  rollout: 'rollout',
  recentHistory: 'recentHistory',
  /** Retired (earlier versions held every installation here): always empty. */
  retiredInstances: 'instances',
  /** Retired (earlier versions held the whole history here): always empty. */
  retiredHistory: 'history',
} as const;
export type RootName = (typeof Root)[keyof typeof Root];

export const CLIENT_WRITABLE_ROOTS: ReadonlySet<string> = new Set([Root.packs]);
/** The projection's roots, written only by the server. */
export const PROJECTION_ROOTS = [
  Root.account,
  Root.catalog,
  Root.releases,
  Root.managedAccounts,
  Root.deletedPacks,
  Root.rollout,
  Root.recentHistory,
] as const;
export const RETIRED_ROOTS = [Root.retiredInstances, Root.retiredHistory] as const;
export const SERVER_OWNED_ROOTS: readonly RootName[] = [...PROJECTION_ROOTS, ...RETIRED_ROOTS];

export const PackKey = {
  name: 'name',
  description: 'description',
  installationType: 'installationType',
  components: 'components',
  createdAt: 'createdAt',
  createdBy: 'createdBy',
} as const;
const PACK_KEYS: ReadonlySet<string> = new Set(Object.values(PackKey));

/** The single key under which the `account` root stores the PublisherAccount. */
export const ACCOUNT_KEY = 'settings';

export const packsMap = (doc: Y.Doc) => doc.getMap<Y.Map<unknown>>(Root.packs);
const plainMap = <T>(doc: Y.Doc, root: RootName) => doc.getMap<T>(root);

// ---------------------------------------------------------------------------------------------
// Reading

/** A pack as it stands in the document, without trusting any field's type. */
export interface RawPack {
  name: unknown;
  description: unknown;
  installationType: unknown;
  componentIds: string[];
  componentsIsMap: boolean;
  /** Components whose value is not `true` (the contract's marker); they count as in the pack. */
  componentIdsNotTrue?: string[];
  createdAt: unknown;
  createdBy: unknown;
  unknownKeys: string[];
}

export function readRawPack(map: unknown): RawPack | undefined {
  if (!(map instanceof Y.Map)) return undefined;
  const components = map.get(PackKey.components);
  const componentsIsMap = components instanceof Y.Map;
  const entries = componentsIsMap ? [...(components as Y.Map<unknown>).entries()] : [];
  return {
    name: map.get(PackKey.name),
    description: map.get(PackKey.description),
    installationType: map.get(PackKey.installationType),
    componentIds: entries.map(([id]) => id).sort(),
    componentsIsMap,
    componentIdsNotTrue: entries
      .filter(([, value]) => value !== true)
      .map(([id]) => id)
      .sort(),
    createdAt: map.get(PackKey.createdAt),
    createdBy: map.get(PackKey.createdBy),
    unknownKeys: [...map.keys()].filter((key) => !PACK_KEYS.has(key)),
  };
}

function packFromRaw(id: string, raw: RawPack): IntegrationPack {
  return {
    id,
    name: typeof raw.name === 'string' ? raw.name : '',
    description: typeof raw.description === 'string' ? raw.description : '',
    installationType: raw.installationType === 'MULTI' ? 'MULTI' : 'SINGLE',
    componentIds: raw.componentIds,
    createdAt: typeof raw.createdAt === 'string' ? raw.createdAt : '',
    createdBy: typeof raw.createdBy === 'string' ? raw.createdBy : '',
  };
}

export function readPack(doc: Y.Doc, packId: string): IntegrationPack | undefined {
  const raw = readRawPack(packsMap(doc).get(packId));
  return raw && packFromRaw(packId, raw);
}

export function readPacks(doc: Y.Doc): IntegrationPack[] {
  const packs: IntegrationPack[] = [];
  packsMap(doc).forEach((value, id) => {
    const raw = readRawPack(value);
    if (raw) packs.push(packFromRaw(id, raw));
  });
  return packs.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
}

export function readAccount(doc: Y.Doc): PublisherAccount | undefined {
  return plainMap<PublisherAccount>(doc, Root.account).get(ACCOUNT_KEY);
}

export function readCatalog(doc: Y.Doc): Map<string, PublishedComponent> {
  return new Map(plainMap<PublishedComponent>(doc, Root.catalog).entries());
}

export function readReleases(doc: Y.Doc, packId: string): Release[] {
  return plainMap<Release[]>(doc, Root.releases).get(packId) ?? [];
}

/** A ReadonlyMap over a Y.Map, so rules can look entries up without copying a 50,000-entry catalog. */
export class YMapView<T> implements ReadonlyMap<string, T> {
  constructor(private readonly map: Y.Map<T>) {}
  get size() {
    return this.map.size;
  }
  get(key: string) {
    return this.map.get(key);
  }
  has(key: string) {
    return this.map.has(key);
  }
  forEach(callback: (value: T, key: string, map: ReadonlyMap<string, T>) => void) {
    this.map.forEach((value, key) => {
      callback(value, key, this);
    });
  }
  *entries(): MapIterator<[string, T]> {
    yield* this.map.entries();
  }
  *keys(): MapIterator<string> {
    yield* this.map.keys();
  }
  *values(): MapIterator<T> {
    yield* this.map.values();
  }
  [Symbol.iterator]() {
    return this.entries();
  }
}

/** The catalog as a live ReadonlyMap, for lookups that need not copy every component. */
export const catalogView = (doc: Y.Doc): ReadonlyMap<string, PublishedComponent> =>
  new YMapView(plainMap<PublishedComponent>(doc, Root.catalog));

export function readAllReleases(doc: Y.Doc): Map<string, Release[]> {
  return new Map(plainMap<Release[]>(doc, Root.releases).entries());
}

export function readManagedAccounts(doc: Y.Doc): ManagedAccount[] {
  return [...plainMap<ManagedAccount>(doc, Root.managedAccounts).values()];
}

/** A pack's rollout counts as the document carries them (undefined: not installed anywhere). */
export function readRollout(doc: Y.Doc, packId: string): RolloutSummary | undefined {
  return plainMap<RolloutSummary>(doc, Root.rollout).get(packId);
}

export function readTombstones(doc: Y.Doc): Map<string, PackTombstone> {
  return new Map(plainMap<PackTombstone>(doc, Root.deletedPacks).entries());
}

/** The recent history the document carries (each pack's newest records), oldest first; of one pack when given. */
export function readRecentHistory(doc: Y.Doc, packId?: string): HistoryRecord[] {
  return [...plainMap<HistoryRecord>(doc, Root.recentHistory).values()]
    .filter((record) => packId === undefined || record.packId === packId)
    .sort((a, b) => a.seq - b.seq);
}

// ---------------------------------------------------------------------------------------------
// Client edits (the `packs` root). Each runs in one transaction with the caller's origin.

function packMapOrThrow(doc: Y.Doc, packId: string): Y.Map<unknown> {
  const map = packsMap(doc).get(packId);
  if (!(map instanceof Y.Map)) throw new Error(`No integration pack ${packId} in this document.`);
  return map;
}

export function writeNewPack(doc: Y.Doc, pack: IntegrationPack, origin?: unknown): void {
  doc.transact(() => {
    const map = new Y.Map<unknown>();
    map.set(PackKey.name, pack.name);
    map.set(PackKey.description, pack.description);
    map.set(PackKey.installationType, pack.installationType);
    map.set(PackKey.createdAt, pack.createdAt);
    map.set(PackKey.createdBy, pack.createdBy);
    const components = new Y.Map<true>();
    for (const id of pack.componentIds) components.set(id, true);
    map.set(PackKey.components, components);
    packsMap(doc).set(pack.id, map);
  }, origin);
}

export function writePackName(doc: Y.Doc, packId: string, name: string, origin?: unknown): void {
  doc.transact(() => packMapOrThrow(doc, packId).set(PackKey.name, name), origin);
}

export function writePackDescription(doc: Y.Doc, packId: string, description: string, origin?: unknown): void {
  doc.transact(() => packMapOrThrow(doc, packId).set(PackKey.description, description), origin);
}

function componentsMapOf(pack: Y.Map<unknown>): Y.Map<true> {
  const existing = pack.get(PackKey.components);
  if (existing instanceof Y.Map) return existing as Y.Map<true>;
  const created = new Y.Map<true>();
  pack.set(PackKey.components, created);
  return created;
}

export function writeAddComponents(doc: Y.Doc, packId: string, componentIds: readonly string[], origin?: unknown): void {
  doc.transact(() => {
    const components = componentsMapOf(packMapOrThrow(doc, packId));
    for (const id of componentIds) if (!components.has(id)) components.set(id, true);
  }, origin);
}

export function writeRemoveComponent(doc: Y.Doc, packId: string, componentId: string, origin?: unknown): void {
  doc.transact(() => componentsMapOf(packMapOrThrow(doc, packId)).delete(componentId), origin);
}

// ---------------------------------------------------------------------------------------------
// The projection. Only the server writes it (sync-server/records/projection.ts, through
// writeProjected); the single-entry writers below build documents for client-side tests.

export function writeAccount(doc: Y.Doc, account: PublisherAccount, origin?: unknown): void {
  doc.transact(() => plainMap<PublisherAccount>(doc, Root.account).set(ACCOUNT_KEY, account), origin);
}

export function writeComponent(doc: Y.Doc, component: PublishedComponent, origin?: unknown): void {
  doc.transact(() => plainMap<PublishedComponent>(doc, Root.catalog).set(component.id, component), origin);
}

export function writeReleases(doc: Y.Doc, packId: string, releases: Release[], origin?: unknown): void {
  doc.transact(() => plainMap<Release[]>(doc, Root.releases).set(packId, releases), origin);
}

export function writeManagedAccount(doc: Y.Doc, account: ManagedAccount, origin?: unknown): void {
  doc.transact(() => plainMap<ManagedAccount>(doc, Root.managedAccounts).set(account.id, account), origin);
}

/**
 * Sets one entry of a projection root to `value` (deletes it for undefined), only when it differs:
 * the projection is rewritten after every change, and an entry already right costs no update.
 */
export function writeProjected(doc: Y.Doc, root: RootName, key: string, value: unknown, origin?: unknown): boolean {
  const map = doc.getMap<unknown>(root);
  const current = map.get(key);
  if (value === undefined) {
    if (!map.has(key)) return false;
    doc.transact(() => map.delete(key), origin);
    return true;
  }
  if (current !== undefined && !(current instanceof Y.AbstractType) && JSON.stringify(current) === JSON.stringify(value)) return false;
  doc.transact(() => map.set(key, value), origin);
  return true;
}

/**
 * Makes the pack in the document equal `accepted` (the last valid state), touching only what
 * differs from `raw` (which must be `readRawPack` of the pack as it stands). `accepted` undefined
 * removes the pack, or whatever non-pack value a client left under its id. When the document already
 * equals `accepted` it changes nothing, so no update is emitted: it is safe to call after every edit.
 */
export function repairPack(
  doc: Y.Doc,
  packId: string,
  raw: RawPack | undefined,
  accepted: IntegrationPack | undefined,
  origin?: unknown,
): void {
  doc.transact(() => {
    const packs = packsMap(doc);
    if (!accepted) {
      if (packs.has(packId)) packs.delete(packId);
      return;
    }
    const map = packs.get(packId);
    if (!raw || !(map instanceof Y.Map) || !raw.componentsIsMap) {
      writeNewPack(doc, accepted, origin);
      return;
    }
    if (raw.name !== accepted.name) map.set(PackKey.name, accepted.name);
    if (raw.description !== accepted.description) map.set(PackKey.description, accepted.description);
    if (raw.installationType !== accepted.installationType) map.set(PackKey.installationType, accepted.installationType);
    if (raw.createdAt !== accepted.createdAt) map.set(PackKey.createdAt, accepted.createdAt);
    if (raw.createdBy !== accepted.createdBy) map.set(PackKey.createdBy, accepted.createdBy);
    for (const key of raw.unknownKeys) map.delete(key);
    const components = map.get(PackKey.components) as Y.Map<true>;
    const keep = new Set(accepted.componentIds);
    for (const id of raw.componentIds) if (!keep.has(id)) components.delete(id);
    for (const id of accepted.componentIds) if (components.get(id) !== true) components.set(id, true);
  }, origin);
}
