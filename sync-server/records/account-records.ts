/**
 * The room's working copy of an account's server-owned records, loaded from the store when the room
 * loads. Commands and the scheduler read and change it synchronously; every change is applied here at
 * once (changes.ts gives each its meaning) and kept in order until the room hands it to the commit
 * pipeline, which stores it in one transaction with the command's result and the document update of
 * the projection. `dirty` says which parts of the projection (projection.ts) to rewrite.
 */
import { RECENT_HISTORY_PER_PACK, type HistoryRecord } from '../../shared/history.ts';
import type { ManagedAccount, PackInstance, PackTombstone, PublishedComponent, PublisherAccount, Release } from '../../shared/model.ts';
import type { ReconcileContext } from '../../shared/reconcile.ts';
import { publisherTimeZone, type InstanceEffect } from '../../shared/release-plan.ts';
import { autoApplyAt } from '../../shared/releases.ts';
import {
  allInstances,
  applyChange,
  instanceById,
  instancesOfPack,
  stateFrom,
  type AccountRecordsData,
  type RecordChange,
  type RecordsState,
  type ScheduleEntry,
} from './changes.ts';

/** Which parts of the projection a batch of changes touched. */
export interface DirtyParts {
  account: boolean;
  components: Set<string>;
  managedAccounts: Set<string>;
  releasePacks: Set<string>;
  tombstones: Set<string>;
  rolloutPacks: Set<string>;
  /** Recent-history entries added or evicted. */
  historyIds: Set<string>;
}

export const noDirtyParts = (): DirtyParts => ({
  account: false,
  components: new Set(),
  managedAccounts: new Set(),
  releasePacks: new Set(),
  tombstones: new Set(),
  rolloutPacks: new Set(),
  historyIds: new Set(),
});

/** A new audit record, before the records give it its place (seq and id). */
export type NewHistoryRecord = Omit<HistoryRecord, 'id' | 'seq'>;

export function scheduleOf(releases: readonly Release[], timeZone: string): ScheduleEntry[] {
  const entries: ScheduleEntry[] = [];
  for (const release of releases) {
    if (release.status !== 'SCHEDULED') continue;
    const at = autoApplyAt(release, timeZone);
    if (at) entries.push({ releaseNumber: release.number, appliesAt: at.toISOString() });
  }
  return entries;
}

export class AccountRecords {
  private readonly state: RecordsState;
  private changes: RecordChange[] = [];
  private dirtyParts = noDirtyParts();
  /** packId → its newest projected records, newest first. */
  private readonly recent = new Map<string, HistoryRecord[]>();
  private readonly recentById = new Map<string, HistoryRecord>();
  private lastSeq: number;

  constructor(data: AccountRecordsData) {
    this.state = stateFrom(data);
    this.lastSeq = data.lastAuditSeq;
    for (const record of [...data.recentHistory].sort((a, b) => b.seq - a.seq)) this.remember(record);
  }

  // ------------------------------------------------------------------------------------------
  // Reads

  get account(): PublisherAccount | undefined {
    return this.state.account;
  }

  get timeZone(): string {
    return publisherTimeZone(this.state.account);
  }

  get catalog(): ReadonlyMap<string, PublishedComponent> {
    return this.state.catalog;
  }

  get managedAccounts(): ReadonlyMap<string, ManagedAccount> {
    return this.state.managedAccounts;
  }

  releases(packId: string): readonly Release[] {
    return this.state.releases.get(packId) ?? [];
  }

  get allReleases(): ReadonlyMap<string, readonly Release[]> {
    return this.state.releases;
  }

  instance(instanceId: string): PackInstance | undefined {
    return instanceById(this.state, instanceId);
  }

  instancesOfPack(packId: string): PackInstance[] {
    return [...instancesOfPack(this.state, packId)];
  }

  /** The instances of one pack without copying them (do not change the records while iterating). */
  packInstances(packId: string): Iterable<PackInstance> {
    return instancesOfPack(this.state, packId);
  }

  /** Every instance of the account. */
  instances(): IterableIterator<PackInstance> {
    return allInstances(this.state);
  }

  get tombstones(): ReadonlyMap<string, PackTombstone> {
    return this.state.tombstones;
  }

  /** The pack's newest records that changed something (what the document carries), newest first. */
  recentHistory(packId: string): readonly HistoryRecord[] {
    return this.recent.get(packId) ?? [];
  }

  recentRecord(id: string): HistoryRecord | undefined {
    return this.recentById.get(id);
  }

  *allRecentHistory(): Generator<HistoryRecord> {
    yield* this.recentById.values();
  }

  /** What the pack rules (shared/reconcile.ts) check an edit against, from the records. */
  get reconcileContext(): ReconcileContext {
    return {
      account: this.state.account ?? { multiInstallEnabled: false },
      catalog: this.state.catalog,
      tombstones: this.state.tombstones,
    };
  }

  // ------------------------------------------------------------------------------------------
  // Changes

  private change(change: RecordChange): number {
    this.changes.push(change);
    return applyChange(this.state, change);
  }

  putAccount(account: PublisherAccount): void {
    const zoneBefore = this.timeZone;
    this.change({ op: 'account', account });
    this.dirtyParts.account = true;
    // The schedule follows the publisher's time zone.
    if (this.timeZone !== zoneBefore)
      for (const [packId, releases] of this.state.releases)
        if (releases.some((release) => release.status === 'SCHEDULED')) this.putReleases(packId, releases);
  }

  putComponent(component: PublishedComponent): void {
    this.change({ op: 'component', component });
    this.dirtyParts.components.add(component.id);
  }

  putManagedAccount(managedAccount: ManagedAccount): void {
    this.change({ op: 'managedAccount', managedAccount });
    this.dirtyParts.managedAccounts.add(managedAccount.id);
  }

  putReleases(packId: string, releases: readonly Release[]): void {
    this.change({ op: 'releases', packId, releases: [...releases], schedule: scheduleOf(releases, this.timeZone) });
    this.dirtyParts.releasePacks.add(packId);
  }

  deleteReleases(packId: string): void {
    this.putReleases(packId, []);
  }

  putInstance(instance: PackInstance): void {
    const before = instanceById(this.state, instance.id);
    this.change({ op: 'instance', instance });
    this.dirtyParts.rolloutPacks.add(instance.packId);
    if (before && before.packId !== instance.packId) this.dirtyParts.rolloutPacks.add(before.packId);
  }

  deleteInstance(instanceId: string): void {
    const before = instanceById(this.state, instanceId);
    if (!before) return;
    this.change({ op: 'deleteInstance', instanceId });
    this.dirtyParts.rolloutPacks.add(before.packId);
  }

  deleteInstancesOfPack(packId: string): void {
    this.change({ op: 'deleteInstancesOfPack', packId });
    this.dirtyParts.rolloutPacks.add(packId);
  }

  /** Set-based: the release's effect on every instance of its pack that awaits it. Returns how many changed. */
  applyEffect(effect: InstanceEffect): number {
    const changed = this.change({ op: 'effect', effect });
    this.dirtyParts.rolloutPacks.add(effect.packId);
    return changed;
  }

  putTombstone(tombstone: PackTombstone): void {
    this.change({ op: 'tombstone', tombstone });
    this.dirtyParts.tombstones.add(tombstone.packId);
  }

  /**
   * Appends an audit record (its place, seq and id, given here). A projected record joins its pack's
   * recent history in the document; the oldest one there leaves it (it stays in the table).
   */
  audit(input: NewHistoryRecord, { projected }: { projected: boolean }): HistoryRecord {
    const seq = ++this.lastSeq;
    const record: HistoryRecord = { id: String(seq), seq, ...input };
    const inProjection = projected && record.packId !== undefined;
    this.changes.push({ op: 'audit', record, projected: inProjection });
    if (inProjection) {
      this.dirtyParts.historyIds.add(record.id);
      const evicted = this.remember(record);
      if (evicted) this.dirtyParts.historyIds.add(evicted.id);
    }
    return record;
  }

  private remember(record: HistoryRecord): HistoryRecord | undefined {
    const list = this.recent.get(record.packId!) ?? [];
    list.unshift(record);
    list.sort((a, b) => b.seq - a.seq);
    this.recent.set(record.packId!, list);
    this.recentById.set(record.id, record);
    if (list.length <= RECENT_HISTORY_PER_PACK) return undefined;
    const evicted = list.pop()!;
    this.recentById.delete(evicted.id);
    return evicted;
  }

  /** How many changes were made since the last `takeChanges` (a command that made none changed nothing). */
  get changeCount(): number {
    return this.changes.length;
  }

  /** Hands the changes made so far to the caller (the commit), in order. */
  takeChanges(): RecordChange[] {
    const taken = this.changes;
    this.changes = [];
    return taken;
  }

  takeDirty(): DirtyParts {
    const taken = this.dirtyParts;
    this.dirtyParts = noDirtyParts();
    return taken;
  }
}
