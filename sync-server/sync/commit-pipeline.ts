/**
 * Group commit for one room. Every document update, record change and command result gathered in one turn of
 * the event loop is appended in ONE store transaction, and only then handed on to be sent. Answers
 * to sync step 1 wait for the commit of everything already applied, so a client is only ever given
 * stored state. One commit at a time, in order; the log is compacted into a snapshot past a size.
 */
import * as Y from 'yjs';
import type { RoomOptions } from '../config.ts';
import type { Logger } from '../log.ts';
import type { RecordChange } from '../records/changes.ts';
import type { ClientIdBinding, CommandResultRecord, DocStore } from '../storage/types.ts';
import { ArrivalRate } from './arrival-rate.ts';
import type { Connection } from './connection.ts';

export interface PendingUpdate {
  update: Uint8Array;
  origin: unknown;
}

export interface CommittedBatch {
  updates: PendingUpdate[];
  /** All of `updates` as one update (what was stored), when there were any. */
  merged: Uint8Array | undefined;
  /** Deferred sync step 2 answers, computed when the batch was sealed. */
  answers: { connection: Connection; frame: Uint8Array }[];
  /** The document's state vector when the batch was sealed: what is now stored. */
  stateVector: Uint8Array;
}

export interface CommitPipelineDeps {
  name: string;
  doc: Y.Doc;
  docs: DocStore;
  options: RoomOptions;
  log: Logger;
  /** A batch is stored: send it on. */
  deliver(batch: CommittedBatch): void;
  /** Nothing is unstored: answer this sync step 1 right away. */
  answerNow(connection: Connection, stateVector: Uint8Array): void;
  /** The sync step 2 frame answering `stateVector` from the document as it is now (cached, sync-answers.ts). */
  answerFrame(stateVector: Uint8Array): Uint8Array;
  /** Storing failed; the waiters of the batch have been rejected. */
  failed(error: unknown): void;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

export class CommitPipeline {
  private updates: PendingUpdate[] = [];
  private results: CommandResultRecord[] = [];
  private bindings: ClientIdBinding[] = [];
  private records: RecordChange[] = [];
  private answers: { connection: Connection; stateVector: Uint8Array }[] = [];
  private waiters: Waiter[] = [];
  private scheduled = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /** When the last commit was sealed (performance.now()), for the minimum interval between commits. */
  private lastSealedAt = Number.NEGATIVE_INFINITY;
  /** Updates per second lately: commits are spaced out only above `batchAboveUpdatesPerSecond`. */
  private readonly arrivals = new ArrivalRate(250);
  private committing = false;
  private running = false;
  private chain: Promise<void> = Promise.resolve();
  private lastSeq: number;
  private logBytes: number;
  private logCount: number;
  /** Size of the last snapshot written; 0 until this pipeline has compacted once. */
  private snapshotBytes = 0;

  constructor(private readonly deps: CommitPipelineDeps) {
    this.lastSeq = 0;
    this.logBytes = 0;
    this.logCount = 0;
  }

  /** Commits begin, on top of what the store held when the room loaded. */
  start(stored: { lastSeq: number; logBytes: number; logCount: number }): void {
    ({ lastSeq: this.lastSeq, logBytes: this.logBytes, logCount: this.logCount } = stored);
    this.running = true;
    this.schedule();
  }

  add(update: Uint8Array, origin: unknown): void {
    this.updates.push({ update, origin });
    this.arrivals.record(performance.now());
    this.schedule();
  }

  /** Adds a command result to the commit that stores the command's changes. */
  addResult(record: CommandResultRecord): void {
    this.results.push(record);
    this.schedule();
  }

  /**
   * Adds a client-id binding to the next commit of document updates or results (a binding of a struct's
   * client rides with that struct's update). It never makes a commit of its own: a room that only
   * reads must keep serving on a full disk.
   */
  addBinding(binding: ClientIdBinding): void {
    this.bindings.push(binding);
  }

  /** Adds changes to the account's records to the commit that stores the document update of their projection. */
  addRecords(changes: readonly RecordChange[]): void {
    if (changes.length === 0) return;
    for (const change of changes) this.records.push(change);
    this.schedule();
  }

  /** Everything applied is stored (nothing waits, nothing is being written). */
  get settled(): boolean {
    return this.updates.length === 0 && this.results.length === 0 && this.records.length === 0 && !this.committing;
  }

  get busy(): boolean {
    return !this.settled || this.scheduled;
  }

  answer(connection: Connection, stateVector: Uint8Array): void {
    if (this.settled) {
      this.deps.answerNow(connection, stateVector);
      return;
    }
    this.answers.push({ connection, stateVector });
    this.schedule();
  }

  /** Resolves once everything applied so far is stored and sent. */
  committed(): Promise<void> {
    if (this.settled) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      this.schedule();
    });
  }

  /** Stops scheduling and stores what is pending now (closing the room). */
  async drain(): Promise<void> {
    this.running = false;
    clearTimeout(this.timer);
    this.scheduled = false;
    this.enqueue();
    await this.chain;
  }

  /** Runs one commit after the previous one; an unexpected error is logged, never left to stall the chain. */
  private enqueue(): void {
    this.chain = this.chain
      .then(() => this.commitOnce())
      .catch((error: unknown) => this.deps.log.error(`Commit of account ${this.deps.name} failed unexpectedly: ${String(error)}`));
  }

  rejectWaiters(error: Error): void {
    for (const waiter of this.waiters.splice(0)) waiter.reject(error);
  }

  get hasLog(): boolean {
    return this.logCount > 0;
  }

  private schedule(): void {
    if (this.scheduled || !this.running) return;
    if (
      this.updates.length === 0 &&
      this.results.length === 0 &&
      this.records.length === 0 &&
      this.answers.length === 0 &&
      this.waiters.length === 0
    )
      return;
    this.scheduled = true;
    const run = () => {
      this.timer = undefined;
      this.scheduled = false;
      this.enqueue();
    };
    const { groupCommitMs, commitIntervalMs, batchAboveUpdatesPerSecond } = this.deps.options;
    // Under load, commits come at most one per interval, each gathering what came meanwhile: per
    // edit, fewer fsyncs and one broadcast frame shared by more edits. Below that load a commit
    // starts at once: a few people editing get their edits to each other as soon as they are stored.
    const now = performance.now();
    const spaced = this.arrivals.perSecond(now) >= batchAboveUpdatesPerSecond;
    const wait = Math.max(groupCommitMs, spaced ? this.lastSealedAt + commitIntervalMs - now : 0);
    if (wait > 0) this.timer = setTimeout(run, wait);
    else setImmediate(run);
  }

  private async commitOnce(): Promise<void> {
    const { doc } = this.deps;
    const updates = this.updates.splice(0);
    const results = this.results.splice(0);
    const records = this.records.splice(0);
    const answers = this.answers.splice(0);
    const waiters = this.waiters.splice(0);
    if (updates.length === 0 && results.length === 0 && records.length === 0) {
      for (const { connection, stateVector } of answers) this.deps.answerNow(connection, stateVector);
      for (const waiter of waiters) waiter.resolve();
      return;
    }
    this.committing = true;
    this.lastSealedAt = performance.now();
    const bindings = this.bindings.splice(0);
    let stateVector: Uint8Array;
    let answerFrames: CommittedBatch['answers'];
    let merged: Uint8Array | undefined;
    try {
      stateVector = Y.encodeStateVector(doc);
      answerFrames = answers.map(({ connection, stateVector: theirs }) => ({ connection, frame: this.deps.answerFrame(theirs) }));
      merged = updates.length === 0 ? undefined : updates.length === 1 ? updates[0]!.update : Y.mergeUpdates(updates.map((u) => u.update));
      this.lastSeq = await this.deps.docs.append(this.deps.name, merged ? [merged] : [], {
        commandResults: results,
        clientIdBindings: bindings,
        records,
      });
    } catch (error) {
      this.committing = false;
      this.running = false;
      this.deps.log.error(`Storing changes of account ${this.deps.name} failed: ${String(error)}`);
      for (const waiter of waiters) waiter.reject(error);
      this.deps.failed(error);
      return;
    }
    this.committing = false;
    if (merged) {
      this.logBytes += merged.byteLength;
      this.logCount++;
    }
    try {
      this.deps.deliver({ updates, merged, answers: answerFrames, stateVector });
    } finally {
      for (const waiter of waiters) waiter.resolve();
    }
    const { compactAfterBytes, compactAfterUpdates } = this.deps.options;
    // The log must also outgrow the last snapshot: bulk server work on a big document (an auto-apply
    // over 100,000 instances) would otherwise re-encode the whole document every few megabytes.
    const bytesThreshold = Math.max(compactAfterBytes, this.snapshotBytes);
    if (this.updates.length === 0 && (this.logBytes > bytesThreshold || this.logCount > compactAfterUpdates)) await this.compact();
  }

  /** Merges the log into a snapshot of the document (which holds nothing unstored when called). */
  async compact(): Promise<void> {
    try {
      const snapshot = Y.encodeStateAsUpdate(this.deps.doc);
      await this.deps.docs.compact(this.deps.name, snapshot, this.lastSeq);
      this.snapshotBytes = snapshot.byteLength;
      this.logBytes = 0;
      this.logCount = 0;
    } catch (error) {
      this.deps.log.warn(`Compacting account ${this.deps.name} failed (the update log is kept): ${String(error)}`);
    }
  }
}
