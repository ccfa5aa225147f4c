/**
 * The server-owned records of one account as plain maps, and the changes made to them. A change is
 * what a command or the scheduler did, row by row or set-based (`effect`: one release's effect on
 * every instance of its pack that awaits it). `applyChange` is the one meaning of each change in
 * memory: the room's working copy (account-records.ts) and the in-memory store apply it; the SQLite
 * store runs the same change as SQL (sqlite-records.mjs), and the storage contract checks they agree.
 */
import type { HistoryRecord } from '../../shared/history.ts';
import type { ManagedAccount, PackInstance, PackTombstone, PublishedComponent, PublisherAccount, Release } from '../../shared/model.ts';
import { applyEffect, awaits, type InstanceEffect } from '../../shared/release-plan.ts';

/** When a scheduled release of a pack takes effect (the scheduler's index: no account is loaded to find it). */
export interface ScheduleEntry {
  releaseNumber: number;
  /** ISO instant: the start of its release date in the publisher's time zone. */
  appliesAt: string;
}

export type RecordChange =
  | { op: 'account'; account: PublisherAccount }
  | { op: 'component'; component: PublishedComponent }
  | { op: 'managedAccount'; managedAccount: ManagedAccount }
  /** The pack's releases replace those stored (none: the pack was deleted), with its schedule entries. */
  | { op: 'releases'; packId: string; releases: Release[]; schedule: ScheduleEntry[] }
  | { op: 'instance'; instance: PackInstance }
  | { op: 'deleteInstance'; instanceId: string }
  | { op: 'deleteInstancesOfPack'; packId: string }
  /** Set-based: the effect on every instance of the pack that awaits the release. */
  | { op: 'effect'; effect: InstanceEffect }
  | { op: 'tombstone'; tombstone: PackTombstone }
  /** A new audit record; `projected` ones are among the pack's recent history in the document. */
  | { op: 'audit'; record: HistoryRecord; projected: boolean };

/** Everything of an account the room loads: what commands need, and the recent history the document carries. */
export interface AccountRecordsData {
  account: PublisherAccount | undefined;
  catalog: PublishedComponent[];
  managedAccounts: ManagedAccount[];
  releases: Release[];
  instances: PackInstance[];
  tombstones: PackTombstone[];
  /** The newest projected records of each pack (RECENT_HISTORY_PER_PACK), any order. */
  recentHistory: HistoryRecord[];
  /** The highest audit seq stored (0 for none): the next record gets the one after. */
  lastAuditSeq: number;
}

export interface RecordsState {
  account: PublisherAccount | undefined;
  catalog: Map<string, PublishedComponent>;
  managedAccounts: Map<string, ManagedAccount>;
  /** packId → its releases by number. */
  releases: Map<string, Release[]>;
  /** packId → its instances by id. */
  instancesByPack: Map<string, Map<string, PackInstance>>;
  /** instance id → its pack's id (an instance is found through its pack: a set-based effect writes each changed one once). */
  packOf: Map<string, string>;
  tombstones: Map<string, PackTombstone>;
}

export function emptyState(): RecordsState {
  return {
    account: undefined,
    catalog: new Map(),
    managedAccounts: new Map(),
    releases: new Map(),
    instancesByPack: new Map(),
    packOf: new Map(),
    tombstones: new Map(),
  };
}

export function stateFrom(data: AccountRecordsData): RecordsState {
  const state = emptyState();
  state.account = data.account;
  for (const component of data.catalog) state.catalog.set(component.id, component);
  for (const account of data.managedAccounts) state.managedAccounts.set(account.id, account);
  for (const release of [...data.releases].sort((a, b) => a.number - b.number)) {
    const list = state.releases.get(release.packId) ?? [];
    list.push(release);
    state.releases.set(release.packId, list);
  }
  for (const instance of data.instances) putInstance(state, instance);
  for (const tombstone of data.tombstones) state.tombstones.set(tombstone.packId, tombstone);
  return state;
}

function putInstance(state: RecordsState, instance: PackInstance): void {
  const packBefore = state.packOf.get(instance.id);
  if (packBefore !== undefined && packBefore !== instance.packId) state.instancesByPack.get(packBefore)?.delete(instance.id);
  state.packOf.set(instance.id, instance.packId);
  let ofPack = state.instancesByPack.get(instance.packId);
  if (!ofPack) state.instancesByPack.set(instance.packId, (ofPack = new Map()));
  ofPack.set(instance.id, instance);
}

function deleteInstance(state: RecordsState, instanceId: string): void {
  const packId = state.packOf.get(instanceId);
  if (packId === undefined) return;
  state.packOf.delete(instanceId);
  state.instancesByPack.get(packId)?.delete(instanceId);
}

export function instanceById(state: RecordsState, instanceId: string): PackInstance | undefined {
  const packId = state.packOf.get(instanceId);
  return packId === undefined ? undefined : state.instancesByPack.get(packId)?.get(instanceId);
}

/** Every instance of the account, pack by pack. */
export function* allInstances(state: RecordsState): Generator<PackInstance> {
  for (const ofPack of state.instancesByPack.values()) yield* ofPack.values();
}

const none: ReadonlyMap<string, PackInstance> = new Map();

/** The instances of one pack (live view of the state: do not change the state while iterating). */
export function instancesOfPack(state: RecordsState, packId: string): IterableIterator<PackInstance> {
  return (state.instancesByPack.get(packId) ?? none).values();
}

/** Applies the effect to every instance of its pack that awaits it; returns how many changed. */
function applyEffectToPack(state: RecordsState, effect: InstanceEffect): number {
  const ofPack = state.instancesByPack.get(effect.packId);
  if (!ofPack) return 0;
  let changed = 0;
  // Replacing the value of a key already there does not disturb the iteration.
  for (const [id, instance] of ofPack) {
    if (!awaits(instance, effect)) continue;
    const next = applyEffect(instance, effect);
    ofPack.set(id, next);
    changed++;
  }
  return changed;
}

/** Applies one change to the state; returns how many instances an `effect` changed (0 otherwise). */
export function applyChange(state: RecordsState, change: RecordChange): number {
  switch (change.op) {
    case 'account':
      state.account = change.account;
      return 0;
    case 'component':
      state.catalog.set(change.component.id, change.component);
      return 0;
    case 'managedAccount':
      state.managedAccounts.set(change.managedAccount.id, change.managedAccount);
      return 0;
    case 'releases':
      if (change.releases.length === 0) state.releases.delete(change.packId);
      else
        state.releases.set(
          change.packId,
          [...change.releases].sort((a, b) => a.number - b.number),
        );
      return 0;
    case 'instance':
      putInstance(state, change.instance);
      return 0;
    case 'deleteInstance':
      deleteInstance(state, change.instanceId);
      return 0;
    case 'deleteInstancesOfPack':
      for (const id of state.instancesByPack.get(change.packId)?.keys() ?? []) state.packOf.delete(id);
      state.instancesByPack.delete(change.packId);
      return 0;
    case 'effect':
      return applyEffectToPack(state, change.effect);
    case 'tombstone':
      state.tombstones.set(change.tombstone.packId, change.tombstone);
      return 0;
    case 'audit':
      return 0;
    default:
      throw new Error(`Unknown record change ${(change as { op: unknown }).op}`);
  }
}

const KNOWN_OPS: ReadonlySet<string> = new Set([
  'account',
  'component',
  'managedAccount',
  'releases',
  'instance',
  'deleteInstance',
  'deleteInstancesOfPack',
  'effect',
  'tombstone',
  'audit',
]);

/** Throws before anything is applied when a change is not one this version knows. */
export function checkChanges(changes: readonly RecordChange[]): void {
  for (const change of changes) if (!KNOWN_OPS.has(change.op)) throw new Error(`Unknown record change ${change.op}`);
}
