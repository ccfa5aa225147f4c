/**
 * Keeps IndexedDB equal to the Yjs document. Every document transaction (local edit, undo, remote
 * update) becomes one log entry: its update bytes plus a snapshot of the entries it changed, taken
 * synchronously at the end of that transaction. Entries are written in order; each write is ONE
 * Dexie transaction over the update log and the mirror tables, so the stored log and the tables can
 * never disagree, whatever crashes when.
 *
 * A write that fails keeps its entries at the head of the queue (they are retried with the next
 * write): nothing that later entries build on is ever dropped from the log. The caller of a local
 * edit learns of the failure and reverts the edit in the document (see workspace actions).
 */
import * as Y from 'yjs';
import { MIRROR_TABLES, type PackDb, type UpdateRow } from './db.ts';
import { changedKeys, emptySnapshot, mergeSnapshot, snapshot, writeSnapshot, type ChangedKeys, type Snapshot } from './projection.ts';
import { ownClockEnd, type LocalEdit } from './unstored.ts';

export interface LogEntry {
  update: Uint8Array;
  snapshot: Snapshot;
  local: LocalEdit | undefined;
  /** Settles when the entry is in IndexedDB (rejects when its write failed). */
  committed: Promise<void>;
}

export interface MirrorOptions {
  /** Whether a transaction origin is this device's own edit (counted as unstored until the server has it). */
  isLocal(origin: unknown): boolean;
  /** Called synchronously for every document transaction, after its entry was queued. */
  onTransaction?(changed: ChangedKeys, origin: unknown, entry: LogEntry): void;
  /** Whether a log row may be merged away by compaction (local rows stay whole until stored). */
  mayCompact?(row: UpdateRow): boolean;
  /** Compact when the log holds more rows than this. */
  compactAbove?: number;
  /** Delay before retrying a failed write. */
  retryDelayMs?: number;
  onWriteError?(error: unknown): void;
}

/** Origin of the updates replayed from IndexedDB at boot: they are already stored. */
export const BOOT_ORIGIN = Symbol('boot');

interface Pending {
  entry: LogEntry;
  resolve(): void;
  reject(error: unknown): void;
  settled: boolean;
}

export class DocMirror {
  private pending: Pending[] = [];
  private running: Promise<void> | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private rowCount = 0;
  /** The entry of the most recent transaction (local actions await it). */
  lastEntry: LogEntry | undefined;

  constructor(
    private readonly db: PackDb,
    private readonly doc: Y.Doc,
    private readonly options: MirrorOptions,
  ) {}

  /** Replays the stored log into the document. Returns the rows (for the unstored bookkeeping). */
  async boot(): Promise<UpdateRow[]> {
    const rows = await this.db.yUpdates.toArray();
    this.rowCount = rows.length;
    // Each row applied in one transaction, not Y.mergeUpdates of them first: merging decodes and
    // re-encodes the whole log before it is decoded again to apply it (10,000 packs: ~300 ms of a
    // ~500 ms replay, a long task a click right after the list shows waited for).
    if (rows.length > 0)
      this.doc.transact(() => {
        for (const row of rows) Y.applyUpdate(this.doc, row.update, BOOT_ORIGIN);
      }, BOOT_ORIGIN);
    this.doc.on('update', this.onUpdate);
    return rows;
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown, doc: Y.Doc, transaction: Y.Transaction) => {
    if (origin === BOOT_ORIGIN) return;
    const changed = changedKeys(transaction);
    const local = this.options.isLocal(origin)
      ? { clientId: doc.clientID, clockEnd: ownClockEnd(doc, update), packIds: [...(changed.get('packs') ?? [])] }
      : undefined;
    let resolve!: () => void;
    let reject!: (error: unknown) => void;
    const committed = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    committed.catch(() => {}); // the writer handles failures; only awaiting callers need to see them
    const entry: LogEntry = { update, snapshot: snapshot(doc, changed), local, committed };
    this.pending.push({ entry, resolve, reject, settled: false });
    this.lastEntry = entry;
    this.options.onTransaction?.(changed, origin, entry);
    this.schedule();
  };

  private schedule(): void {
    if (this.closed || this.running) return;
    this.running = this.run().finally(() => {
      this.running = undefined;
      if (this.pending.length > 0 && !this.retryTimer) this.schedule();
    });
  }

  private async run(): Promise<void> {
    await Promise.resolve(); // let the rest of the current task queue its transactions into this batch
    while (this.pending.length > 0) {
      const batch = this.pending.slice();
      try {
        await this.write(batch.map((item) => item.entry));
      } catch (error) {
        for (const item of batch)
          if (!item.settled) {
            item.settled = true;
            item.reject(error);
          }
        this.options.onWriteError?.(error);
        this.retryLater();
        return;
      }
      this.pending.splice(0, batch.length);
      for (const item of batch)
        if (!item.settled) {
          item.settled = true;
          item.resolve();
        }
      if (this.rowCount > (this.options.compactAbove ?? 500)) await this.compact().catch((error) => this.options.onWriteError?.(error));
    }
  }

  private retryLater(): void {
    if (this.closed || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.schedule();
    }, this.options.retryDelayMs ?? 1000);
  }

  /** Writes entries (in order) into the log and the tables in one Dexie transaction. */
  private async write(entries: LogEntry[]): Promise<void> {
    const rows: UpdateRow[] = entries.map(({ update, local }) => (local ? { update, ...local, packIds: [...local.packIds] } : { update }));
    const merged = entries.reduce((into, entry) => mergeSnapshot(into, entry.snapshot), emptySnapshot());
    // meta too: a write of the packs or components table moves its stamp (projection.ts, boot-copy.ts).
    await this.db.transaction('rw', [this.db.yUpdates, this.db.meta, ...MIRROR_TABLES.map((name) => this.db.table(name))], async () => {
      await this.db.yUpdates.bulkAdd(rows);
      await writeSnapshot(this.db, merged);
    });
    this.rowCount += rows.length;
  }

  /** Merges the log into one row, except local rows the server has not stored yet. */
  async compact(): Promise<void> {
    const mayCompact = this.options.mayCompact ?? (() => true);
    await this.db.transaction('rw', this.db.yUpdates, async () => {
      const rows = await this.db.yUpdates.toArray();
      const merge = rows.filter(mayCompact);
      if (merge.length < 2) {
        this.rowCount = rows.length;
        return;
      }
      await this.db.yUpdates.bulkDelete(merge.map((row) => row.seq!));
      await this.db.yUpdates.add({ update: Y.mergeUpdates(merge.map((row) => row.update)) });
      this.rowCount = rows.length - merge.length + 1;
    });
  }

  /** Resolves once every queued entry is written (or its write failed). */
  async idle(): Promise<void> {
    for (let round = 0; round < 100 && this.running; round++) await this.running;
  }

  get queued(): number {
    return this.pending.length;
  }

  async close(): Promise<void> {
    this.doc.off('update', this.onUpdate);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    await this.idle();
    this.closed = true;
  }
}
