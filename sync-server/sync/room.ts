/**
 * One publisher account's document, loaded from the store, shared by the account's connections.
 * Everything that changes the document runs here, one step at a time: client updates (checked and
 * repaired by guard.ts), server mutations and commands. Each change is appended to the store
 * (group commit: everything applied in one turn of the event loop is one transaction) before it is
 * sent to anyone; after each commit, clients that speak proto=1 get the stored state vector.
 */
import * as Y from 'yjs';
import {
  encodeCommandResult,
  encodeNotice,
  encodeStored,
  parseCommandEnvelope,
  readAccount,
  readPack,
  readPacks,
  SERVER_OWNED_ROOTS,
  writeAccount,
  type CommandEnvelope,
  type CommandResult,
  type IntegrationPack,
  type Notice,
} from '../../shared/index.ts';
import { CloseCode } from '../../shared/protocol.ts';
import type { Session } from '../auth.ts';
import type { CommandResultRecord } from '../storage/types.ts';
import { runCommand, type CommandDeps } from './command-channel.ts';
import { AwarenessRelay } from './awareness-relay.ts';
import { ClientOrigin, type Connection } from './connection.ts';
import { FrameError, parseClientFrame, step1Frame, step2Frame, updateFrame, type DecodedUpdate } from './frames.ts';
import { defineRoots, enforcePacks, ownedKeyChanges, revertOutsidePacks, touchedParts, type OwnedKeyChange, type TouchedParts } from './guard.ts';
import type { RoomDeps } from './room-deps.ts';

/** The origin of every transaction the server makes (repairs, mutations, commands). */
export class ServerOrigin {
  constructor(readonly roomName: string) {}
}

interface Entry {
  update: Uint8Array;
  origin: unknown;
}
interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}
type State = 'loading' | 'ready' | 'closing' | 'closed';

const MAX_NOTICES_PER_FRAME = 20;

export class Room {
  readonly doc = new Y.Doc();
  readonly origin: ServerOrigin;
  readonly connections = new Set<Connection>();
  readonly ready: Promise<void>;
  private state: State = 'loading';
  private readonly loadOrigin = {};
  private readonly relay: AwarenessRelay;
  private lastValid = new Map<string, IntegrationPack>();
  private ownedChanges: OwnedKeyChange[] = [];
  private touched: TouchedParts[] = [];
  private buffered: [Connection, Uint8Array][] = [];
  // The commit pipeline.
  private pending: Entry[] = [];
  private pendingResults: CommandResultRecord[] = [];
  private pendingAnswers: { connection: Connection; stateVector: Uint8Array }[] = [];
  private pendingWaiters: Waiter[] = [];
  private flushScheduled = false;
  private committing = false;
  private chain: Promise<void> = Promise.resolve();
  private lastSeq = 0;
  private logBytes = 0;
  private logCount = 0;
  // Lifetime.
  private busy = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  readonly inflightCommands = new Map<string, Promise<CommandResult>>();

  constructor(
    readonly name: string,
    private readonly deps: RoomDeps,
  ) {
    this.origin = new ServerOrigin(name);
    defineRoots(this.doc);
    this.relay = new AwarenessRelay(this.doc, deps.limits, (frame) => this.sendAll(frame));
    this.ready = this.load();
    this.ready.catch(() => {});
  }

  get isReady(): boolean {
    return this.state === 'ready';
  }

  // ------------------------------------------------------------------------------------------
  // Loading

  private async load(): Promise<void> {
    try {
      const stored = await this.deps.store.docs.load(this.name);
      this.doc.transact(() => {
        if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot);
        for (const update of stored.updates) Y.applyUpdate(this.doc, update);
      }, this.loadOrigin);
      this.lastSeq = stored.lastSeq;
      this.logCount = stored.updates.length;
      this.logBytes = stored.updates.reduce((sum, update) => sum + update.byteLength, 0);
      this.lastValid = new Map(readPacks(this.doc).map((pack) => [pack.id, pack]));
      this.listen();
      const account = await this.deps.store.accounts.getAccount(this.name);
      const current = readAccount(this.doc);
      if (account && JSON.stringify(current) !== JSON.stringify(account)) writeAccount(this.doc, account, this.origin);
    } catch (error) {
      this.deps.log.error(`Loading account ${this.name} failed: ${String(error)}`);
      this.shutdownAfterFailure();
      throw error;
    }
    if (this.state !== 'loading') return;
    this.state = 'ready';
    for (const connection of this.connections) this.greet(connection);
    const buffered = this.buffered;
    this.buffered = [];
    for (const [connection, frame] of buffered) this.receive(connection, frame);
    this.scheduleFlush();
    this.maybeIdle();
  }

  private listen(): void {
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === this.loadOrigin) return;
      this.pending.push({ update, origin });
      this.scheduleFlush();
    });
    for (const root of SERVER_OWNED_ROOTS)
      this.doc.getMap(root).observe((event) => {
        if (event.transaction.origin instanceof ClientOrigin) this.ownedChanges.push(...ownedKeyChanges(root, event));
      });
    this.doc.on('afterTransaction', (transaction: Y.Transaction) => {
      if (transaction.origin === this.loadOrigin) return;
      const parts = touchedParts(this.doc, transaction);
      if (transaction.origin instanceof ClientOrigin) this.touched.push(parts);
      else
        for (const packId of parts.packIds) {
          const pack = readPack(this.doc, packId);
          if (pack) this.lastValid.set(packId, pack);
          else this.lastValid.delete(packId);
        }
    });
  }

  // ------------------------------------------------------------------------------------------
  // Connections

  connect(connection: Connection): void {
    this.connections.add(connection);
    this.clearIdle();
    if (this.state === 'ready') this.greet(connection);
  }

  disconnect(connection: Connection): void {
    if (!this.connections.delete(connection)) return;
    this.buffered = this.buffered.filter(([owner]) => owner !== connection);
    if (this.state === 'ready') this.relay.disconnect(connection);
    this.maybeIdle();
  }

  private greet(connection: Connection): void {
    connection.send(step1Frame(this.doc));
    const states = this.relay.allStatesFrame();
    if (states) connection.send(states);
  }

  receive(connection: Connection, frame: Uint8Array): void {
    if (connection.closed) return;
    if (this.state === 'loading') {
      this.buffered.push([connection, frame]);
      return;
    }
    if (this.state !== 'ready') return;
    try {
      const parsed = parseClientFrame(frame, connection.proto);
      switch (parsed.kind) {
        case 'syncStep1':
          // The handshake: from here on the larger frame limit applies (the answer may wait for a commit).
          connection.synced = true;
          return this.answerStep1(connection, parsed.stateVector);
        case 'update':
          return this.applyClientUpdate(connection, parsed.update, parsed.decoded);
        case 'awareness': {
          const notice = this.relay.receive(connection, parsed.entries);
          if (notice) this.notify(connection, [notice]);
          return;
        }
        case 'queryAwareness': {
          const states = this.relay.allStatesFrame();
          if (states) connection.send(states);
          return;
        }
        case 'command':
          return this.commandFromSocket(connection, parsed.payload);
      }
    } catch (error) {
      const closeCode = error instanceof FrameError ? error.closeCode : CloseCode.protocolError;
      const message = error instanceof Error ? error.message : String(error);
      this.deps.log.warn(`Closing connection ${connection.id} of account ${this.name} (${closeCode}): ${message}`);
      connection.close(closeCode, message);
    }
  }

  private answerStep1(connection: Connection, stateVector: Uint8Array): void {
    if (this.pending.length === 0 && !this.committing) {
      connection.send(step2Frame(Y.encodeStateAsUpdate(this.doc, stateVector)));
      if (connection.proto) connection.send(encodeStored(Y.encodeStateVector(this.doc)));
      return;
    }
    // The document holds changes not stored yet: answer with what the next commit stores.
    this.pendingAnswers.push({ connection, stateVector });
    this.scheduleFlush();
  }

  private applyClientUpdate(connection: Connection, update: Uint8Array, decoded: DecodedUpdate): void {
    if (!connection.canWrite) {
      if (hasNews(this.doc, decoded))
        this.notify(connection, [
          { level: 'error', code: 'READ_ONLY', message: 'You have view-only access to this account: your change was not saved.' },
        ]);
      return;
    }
    let failure: unknown;
    try {
      Y.applyUpdate(this.doc, update, connection.origin);
    } catch (error) {
      failure = error;
    }
    // Whatever the update changed is checked and repaired, even when Yjs gave up half way.
    const owned = this.ownedChanges.splice(0);
    const touched = this.touched.splice(0);
    const packIds = new Set<string>();
    const stray = new Map<string, Y.AbstractType<any>>(); // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const parts of touched) {
      for (const id of parts.packIds) packIds.add(id);
      for (const [name, type] of parts.strayRoots) stray.set(name, type);
    }
    const notices = [
      ...revertOutsidePacks(this.doc, owned, stray, this.origin),
      ...enforcePacks(this.doc, packIds, this.lastValid, this.origin),
    ];
    if (notices.length > 0) {
      this.deps.log.info(`Reverted ${notices.length} change(s) by ${connection.session.personId} in account ${this.name}.`);
      this.notify(connection, notices);
    }
    if (failure) throw new FrameError(CloseCode.protocolError, `The update could not be applied: ${String(failure)}`);
  }

  private notify(connection: Connection, notices: readonly Notice[]): void {
    if (!connection.proto) return;
    for (const notice of notices.slice(0, MAX_NOTICES_PER_FRAME)) connection.send(encodeNotice(notice));
  }

  private sendAll(frame: Uint8Array): void {
    for (const connection of this.connections) connection.send(frame);
  }

  // ------------------------------------------------------------------------------------------
  // Server-side changes

  /** Runs fn in one server-origin transaction; resolves once its changes are stored and sent. */
  async mutate<T>(fn: (doc: Y.Doc, origin: ServerOrigin) => T): Promise<T> {
    this.busy++;
    this.clearIdle();
    try {
      await this.ready;
      if (this.state !== 'ready') throw new Error(`Account ${this.name} is not available (the server is stopping).`);
      let result: T | undefined;
      let thrown: unknown;
      let threw = false;
      this.doc.transact(() => {
        try {
          result = fn(this.doc, this.origin);
        } catch (error) {
          threw = true;
          thrown = error;
        }
      }, this.origin);
      await this.committed();
      if (threw) throw thrown;
      return result as T;
    } finally {
      this.busy--;
      this.maybeIdle();
    }
  }

  /** Runs a command once per idempotency key (see command-channel.ts). */
  async command(session: Session, envelope: CommandEnvelope): Promise<CommandResult> {
    this.busy++;
    this.clearIdle();
    try {
      return await runCommand(this.commandDeps(), session, envelope);
    } finally {
      this.busy--;
      this.maybeIdle();
    }
  }

  private commandDeps(): CommandDeps {
    return {
      room: this,
      accounts: this.deps.store.accounts,
      clock: this.deps.clock,
      executeCommand: this.deps.executeCommand,
      recordResult: (record) => this.pendingResults.push(record),
    };
  }

  private commandFromSocket(connection: Connection, payload: unknown): void {
    const parsed = parseCommandEnvelope(payload);
    if (!parsed.ok) {
      const key = (payload as { idempotencyKey?: unknown } | null)?.idempotencyKey;
      if (typeof key === 'string')
        connection.send(encodeCommandResult({ idempotencyKey: key, status: 'ERROR', code: 'INVALID_COMMAND', message: parsed.message }));
      else this.notify(connection, [{ level: 'error', code: 'INVALID_COMMAND', message: parsed.message }]);
      return;
    }
    this.command(connection.session, parsed.value).then(
      (result) => connection.send(encodeCommandResult(result)),
      (error: unknown) =>
        connection.send(
          encodeCommandResult({ idempotencyKey: parsed.value.idempotencyKey, status: 'ERROR', code: 'UNAVAILABLE', message: `The command was not run: ${String(error)}` }),
        ),
    );
  }

  // ------------------------------------------------------------------------------------------
  // The commit pipeline

  /** Resolves once everything applied so far is stored and sent. */
  committed(): Promise<void> {
    if (this.pending.length === 0 && this.pendingResults.length === 0 && !this.committing) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.pendingWaiters.push({ resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushScheduled || this.state !== 'ready') return;
    if (this.pending.length === 0 && this.pendingResults.length === 0 && this.pendingAnswers.length === 0 && this.pendingWaiters.length === 0)
      return;
    this.flushScheduled = true;
    const run = () => {
      this.flushScheduled = false;
      this.chain = this.chain.then(() => this.commitOnce());
    };
    if (this.deps.options.groupCommitMs > 0) setTimeout(run, this.deps.options.groupCommitMs);
    else setImmediate(run);
  }

  private async commitOnce(): Promise<void> {
    const entries = this.pending.splice(0);
    const results = this.pendingResults.splice(0);
    const answers = this.pendingAnswers.splice(0);
    const waiters = this.pendingWaiters.splice(0);
    if (entries.length === 0 && results.length === 0) {
      for (const { connection, stateVector } of answers) this.answerStep1(connection, stateVector);
      for (const waiter of waiters) waiter.resolve();
      return;
    }
    const stateVector = Y.encodeStateVector(this.doc);
    const answerFrames = answers.map(({ connection, stateVector: theirs }) => ({
      connection,
      frame: step2Frame(Y.encodeStateAsUpdate(this.doc, theirs)),
    }));
    const merged = entries.length === 0 ? undefined : entries.length === 1 ? entries[0]!.update : Y.mergeUpdates(entries.map((e) => e.update));
    this.committing = true;
    try {
      this.lastSeq = await this.deps.store.docs.append(this.name, merged ? [merged] : [], { commandResults: results });
    } catch (error) {
      this.committing = false;
      this.deps.log.error(`Storing changes of account ${this.name} failed: ${String(error)}`);
      for (const waiter of waiters) waiter.reject(error);
      this.shutdownAfterFailure();
      return;
    }
    this.committing = false;
    if (merged) {
      this.logBytes += merged.byteLength;
      this.logCount++;
    }
    for (const entry of entries) {
      const frame = updateFrame(entry.update);
      for (const connection of this.connections) if (entry.origin !== connection.origin) connection.send(frame);
    }
    for (const { connection, frame } of answerFrames) connection.send(frame);
    const stored = encodeStored(stateVector);
    for (const connection of this.connections) if (connection.proto) connection.send(stored);
    for (const waiter of waiters) waiter.resolve();
    const { compactAfterBytes, compactAfterUpdates } = this.deps.options;
    if (this.pending.length === 0 && (this.logBytes > compactAfterBytes || this.logCount > compactAfterUpdates)) await this.compact();
  }

  private async compact(): Promise<void> {
    try {
      await this.deps.store.docs.compact(this.name, Y.encodeStateAsUpdate(this.doc), this.lastSeq);
      this.logBytes = 0;
      this.logCount = 0;
    } catch (error) {
      this.deps.log.warn(`Compacting account ${this.name} failed (the update log is kept): ${String(error)}`);
    }
  }

  /** Storage failed: nothing unstored may be sent on. Close everyone; the account reloads from what is stored. */
  private shutdownAfterFailure(): void {
    if (this.state === 'closed') return;
    const notice: Notice = { level: 'error', code: 'STORAGE_FAILED', message: 'The server could not store changes. Your unsaved edits stay on your device and are sent again when you reconnect.' };
    for (const connection of this.connections) {
      this.notify(connection, [notice]);
      connection.close(CloseCode.tryAgainLater, 'The server could not store changes.');
    }
    for (const waiter of this.pendingWaiters.splice(0)) waiter.reject(new Error('The server could not store changes.'));
    this.destroy();
    this.deps.onClosed(this);
  }

  // ------------------------------------------------------------------------------------------
  // Lifetime

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private maybeIdle(): void {
    if (this.state !== 'ready' || this.connections.size > 0 || this.busy > 0 || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.connections.size > 0 || this.busy > 0 || this.state !== 'ready') return;
      if (this.pending.length > 0 || this.committing || this.flushScheduled) return this.maybeIdle();
      this.deps.onIdle(this);
    }, this.deps.options.idleUnloadMs);
    this.idleTimer.unref?.();
  }

  /** Stops taking client frames, stores what is pending, closes the connections with `code`. */
  async close(code: number, reason: string, { compact = false } = {}): Promise<void> {
    if (this.state === 'closed' || this.state === 'closing') return;
    const wasReady = this.state === 'ready';
    this.state = 'closing';
    this.clearIdle();
    if (wasReady) {
      this.chain = this.chain.then(() => this.commitOnce());
      await this.chain;
      if (compact && this.logCount > 0 && (this.state as State) === 'closing') await this.compact();
    }
    for (const connection of this.connections) connection.close(code, reason);
    this.destroy();
  }

  private destroy(): void {
    this.state = 'closed';
    this.clearIdle();
    for (const waiter of this.pendingWaiters.splice(0)) waiter.reject(new Error(`Account ${this.name} was unloaded.`));
    this.relay.destroy();
    this.doc.destroy();
  }
}

/** Whether an update carries anything the server does not have (a viewer's edit worth a notice). */
function hasNews(doc: Y.Doc, decoded: DecodedUpdate): boolean {
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
