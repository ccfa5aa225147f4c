/**
 * The repair after a client's update was applied. What an update may touch is decided before it is
 * applied (update-check.ts); what its values mean is checked here: each changed pack goes through
 * `reconcilePack` (shared/) against the last valid state the room keeps, and `repairPack` restores
 * what broke a rule (and stamps a new pack's createdAt/createdBy). Writes outside `packs` never get
 * this far; reverting them stays as a second line: server-owned roots get their old values back (they
 * hold plain values one level deep), unknown roots and the list part of any root lose what was added.
 */
import * as Y from 'yjs';
import type { DecodedUpdate } from './frames.ts';
import {
  catalogView,
  readAccount,
  readRawPack,
  reconcilePack,
  repairPack,
  Root,
  SERVER_OWNED_ROOTS,
  packsMap,
  type IntegrationPack,
  type Notice,
  type PackTombstone,
  type PackStamp,
  type ReconcileContext,
  YMapView,
} from '../../shared/index.ts';

/** A key a client changed in a server-owned root, and its value before. */
export interface OwnedKeyChange {
  root: string;
  key: string;
  action: 'add' | 'update' | 'delete';
  oldValue: unknown;
}

/** What one transaction touched, by part of the document. */
export interface TouchedParts {
  packIds: Set<string>;
  /** Roots whose list part was written, or roots this document does not define, by name. */
  strayRoots: Map<string, AnyType>;
}

// biome-ignore lint/suspicious/noExplicitAny: Yjs types every parent and root as AbstractType<any>.
type AnyType = Y.AbstractType<any>;

const ROOT_LABEL: Record<string, string> = {
  account: 'the account settings',
  catalog: 'the published components',
  releases: 'the releases',
  managedAccounts: 'the managed accounts',
  instances: 'the installations',
  deletedPacks: 'the deleted packs',
  history: 'the history',
};

const KNOWN_ROOTS: ReadonlySet<string> = new Set([Root.packs, ...SERVER_OWNED_ROOTS]);

/** Creates every root the schema defines, as maps, before any update is applied. */
export function defineRoots(doc: Y.Doc): void {
  for (const name of KNOWN_ROOTS) doc.getMap(name);
}

function rootNameOf(doc: Y.Doc, root: AnyType): string | undefined {
  for (const [name, type] of doc.share) if (type === root) return name;
  return undefined;
}

/** Finds the root above a changed type and the key directly under that root. */
function topOf(type: AnyType): { root: AnyType; key: string | null } {
  let current = type;
  let key: string | null = null;
  for (let depth = 0; current._item !== null && depth < 10_000; depth++) {
    key = current._item.parentSub;
    current = current._item.parent as AnyType;
  }
  return { root: current, key };
}

export function touchedParts(doc: Y.Doc, transaction: Y.Transaction): TouchedParts {
  const packIds = new Set<string>();
  const strayRoots = new Map<string, AnyType>();
  const packs = packsMap(doc);
  transaction.changed.forEach((subs, type) => {
    if (type._item === null) {
      const name = rootNameOf(doc, type);
      if (name === undefined) return;
      if (!KNOWN_ROOTS.has(name) || subs.has(null)) strayRoots.set(name, type);
      if (type === (packs as AnyType)) for (const key of subs) if (key !== null) packIds.add(key);
      return;
    }
    const { root, key } = topOf(type);
    const name = rootNameOf(doc, root);
    if (name === undefined) return;
    if (!KNOWN_ROOTS.has(name)) strayRoots.set(name, root);
    else if (root === (packs as AnyType) && key !== null) packIds.add(key);
  });
  return { packIds, strayRoots };
}

/** Reads the key changes of a server-owned root's event (called from its observer). */
export function ownedKeyChanges(root: string, event: Y.YMapEvent<unknown>): OwnedKeyChange[] {
  const changes: OwnedKeyChange[] = [];
  for (const [key, change] of event.changes.keys) changes.push({ root, key, action: change.action, oldValue: change.oldValue });
  return changes;
}

export function reconcileContext(doc: Y.Doc): ReconcileContext {
  return {
    account: readAccount(doc) ?? { multiInstallEnabled: false },
    catalog: catalogView(doc),
    tombstones: new YMapView(doc.getMap<PackTombstone>(Root.deletedPacks)),
  };
}

const MAX_KEYS_NAMED = 5;
const listKeys = (keys: string[]) =>
  keys
    .slice(0, MAX_KEYS_NAMED)
    .map((key) => `"${key}"`)
    .join(', ') + (keys.length > MAX_KEYS_NAMED ? ` and ${keys.length - MAX_KEYS_NAMED} more` : '');

/**
 * Reverts a client's changes to server-owned roots and stray parts, in one transaction with the
 * server's origin. Returns one notice per root.
 */
export function revertOutsidePacks(
  doc: Y.Doc,
  owned: readonly OwnedKeyChange[],
  stray: ReadonlyMap<string, AnyType>,
  origin: unknown,
): Notice[] {
  if (owned.length === 0 && stray.size === 0) return [];
  const keysByRoot = new Map<string, string[]>();
  doc.transact((transaction) => {
    for (const change of owned) {
      const map = doc.getMap(change.root);
      const restorable = change.action !== 'add' && !(change.oldValue instanceof Y.AbstractType) && change.oldValue !== undefined;
      if (restorable) map.set(change.key, change.oldValue);
      else map.delete(change.key);
      keysByRoot.set(change.root, [...(keysByRoot.get(change.root) ?? []), change.key]);
    }
    for (const [name, type] of stray) {
      const known = KNOWN_ROOTS.has(name);
      if (!known) for (const item of type._map.values()) if (!item.deleted) item.delete(transaction);
      for (let item = type._start; item !== null; item = item.right) if (!item.deleted) item.delete(transaction);
    }
  }, origin);
  const notices: Notice[] = [];
  for (const [root, keys] of keysByRoot)
    notices.push({
      level: 'error',
      code: 'SERVER_OWNED',
      message: `Your change to ${ROOT_LABEL[root] ?? root} (${listKeys(keys)}) was reverted: only the server changes them; use the page's actions instead.`,
    });
  for (const name of stray.keys())
    notices.push({
      level: 'error',
      code: 'UNKNOWN_DATA',
      message: KNOWN_ROOTS.has(name)
        ? `Your change to "${name}" was reverted: it is a map of entries, not a list.`
        : `Your change to "${name}" was removed: this document holds only integration packs and what the server maintains.`,
    });
  return notices;
}

/**
 * Checks every changed pack against its last valid state; repairs violations with the server's
 * origin and updates `lastValid`. Returns one notice per violation.
 */
export function enforcePacks(
  doc: Y.Doc,
  packIds: Iterable<string>,
  lastValid: Map<string, IntegrationPack>,
  origin: unknown,
  stamp?: PackStamp,
  late: ReadonlyMap<string, LateValues> = new Map(),
): Notice[] {
  const notices: Notice[] = [];
  const context = { ...reconcileContext(doc), ...(stamp ? { stamp } : {}) };
  const packs = packsMap(doc);
  // One transaction around every repair: one server update for the whole check (a client adding
  // 10,000 packs at once gets 10,000 stamps), not one per pack for the commit to merge.
  doc.transact(() => {
    for (const packId of packIds) {
      const present = packs.has(packId);
      const raw = readRawPack(packs.get(packId));
      const previous = lastValid.get(packId);
      const lateValues = raw && late.get(packId);
      const { accepted, violations } = reconcilePack(packId, previous, lateValues ? { ...raw, ...lateValues } : raw, context);
      const strayValue = present && raw === undefined && accepted === undefined;
      // repairPack changes nothing where the document already says `accepted` (a stamp is not a violation).
      if (violations.length > 0 || strayValue || (accepted && !previous) || lateValues) repairPack(doc, packId, raw, accepted, origin);
      if (accepted) lastValid.set(packId, accepted);
      else lastValid.delete(packId);
      for (const violation of violations) notices.push({ level: 'error', code: violation.code, message: violation.message, packId });
      if (strayValue && violations.length === 0)
        notices.push({
          level: 'error',
          code: 'PACK_MALFORMED',
          message: `The entry "${packId}" under packs was not an integration pack and was removed.`,
          packId,
        });
    }
  }, origin);
  return notices;
}

/** A pack's name or description as a client's update set it, where a server repair it did not see hides it. */
export type LateValues = Partial<Record<'name' | 'description', unknown>>;

/**
 * The values of an update that lost to a server repair it did not know of: a repair (of someone
 * else's invalid edit) is a new item that the CRDT may order after a concurrent valid edit arriving
 * later, which would lose that edit for nothing. Such values are taken as written; the result is the
 * same whichever of the two edits reaches the server first.
 */
export function lateValues(
  doc: Y.Doc,
  writes: readonly { packId: string; field: 'name' | 'description'; id: Y.ID; value: unknown }[],
  isServerClient: (client: number) => boolean,
): Map<string, LateValues> {
  const late = new Map<string, LateValues>();
  const packs = packsMap(doc);
  for (const write of writes) {
    const pack = packs.get(write.packId);
    if (!(pack instanceof Y.Map)) continue;
    const current = (pack as AnyType)._map.get(write.field);
    if (!current || current.deleted || Y.compareIDs(current.id, write.id) || !isServerClient(current.id.client)) continue;
    late.set(write.packId, { ...late.get(write.packId), [write.field]: write.value });
  }
  return late;
}

/**
 * Forgets structs and deletes Yjs keeps waiting for what they depend on (none arrive since updates
 * are checked; a document stored before could hold them). Returns how many bytes were dropped.
 */
export function dropPending(doc: Y.Doc): number {
  const { store } = doc;
  const bytes = (store.pendingStructs?.update.byteLength ?? 0) + (store.pendingDs?.byteLength ?? 0);
  store.pendingStructs = null;
  store.pendingDs = null;
  return bytes;
}

/** Whether an update carries anything the server does not have (a viewer's edit worth a notice). */
export function updateHasNews(doc: Y.Doc, decoded: DecodedUpdate): boolean {
  for (const struct of decoded.structs) {
    if (struct instanceof Y.Skip) continue;
    if (struct.id.clock + struct.length > Y.getState(doc.store, struct.id.client)) return true;
  }
  for (const [client, ranges] of decoded.ds.clients) {
    const structs = doc.store.clients.get(client);
    if (!structs) continue;
    for (const range of ranges) {
      if (range.clock >= Y.getState(doc.store, client)) continue;
      const struct = structs[Y.findIndexSS(structs, range.clock)];
      if (struct && !struct.deleted) return true;
    }
  }
  return false;
}
