/**
 * One publisher account's document, loaded from the store, shared by the account's connections.
 * Everything that changes the document runs here, one step at a time: client updates (checked
 * before they are applied by update-check.ts, repaired after by guard.ts), server mutations and commands. Each change is stored by the commit
 * pipeline (group commit) before it is sent to anyone; after each commit, clients that speak
 * proto=1 get the stored state vector. (Long because it is where these parts meet; the parts
 * themselves live in guard.ts, commit-pipeline.ts, awareness-relay.ts, command-channel.ts and commands/path.ts.)
 */
import * as Y from 'yjs';
import {
  encodeCommandResult,
  encodeNotice,
  editRecord,
  encodeStored,
  packEdits,
  packsMap,
  readPack,
  readPacks,
  SERVER_OWNED_ROOTS,
  type AnyCommandEnvelope,
  type CommandResult,
  type IntegrationPack,
  type Notice,
} from '../../shared/index.ts';
import { CloseCode } from '../../shared/protocol.ts';
import type { Session } from '../auth.ts';
import type { Actor } from '../commands/execute.ts';
import { AwarenessRelay } from './awareness-relay.ts';
import { ClientIds } from './client-ids.ts';
import { runCommand, type InflightCommand } from '../commands/path.ts';
import { AccountRecords } from '../records/account-records.ts';
import { projectChanges, rebuildProjection } from '../records/projection.ts';
import { migrateLegacyRoots, needsMigration } from '../records/migrate.ts';
import { RefusalAudit } from '../records/refusal-audit.ts';
import { commandFromFrame } from './command-channel.ts';
import { CommitPipeline, type CommittedBatch } from './commit-pipeline.ts';
import { ClientOrigin, type Connection } from './connection.ts';
import { FrameError, parseClientFrame, step1Frame, updateFrame, type ClientFrame } from './frames.ts';
import {
  defineRoots,
  dropPending,
  enforcePacks,
  lateValues,
  ownedKeyChanges,
  revertOutsidePacks,
  touchedParts,
  updateHasNews,
  type OwnedKeyChange,
  type TouchedParts,
} from './guard.ts';
import type { RoomDeps } from './room-deps.ts';
import { SERVER_PERSON } from '../storage/types.ts';
import { SyncAnswers } from './sync-answers.ts';
import { checkClientUpdate, MalformedUpdate, voidUpdate, type Refusal } from './update-check.ts';

/** The Yjs client id whose item holds a pack's field now. */
function fieldWriter(doc: Y.Doc, packId: string, field: string): number | undefined {
  const pack = packsMap(doc).get(packId);
  if (!(pack instanceof Y.Map)) return undefined;
  const item = (pack as AnyType)._map.get(field);
  return item && !item.deleted ? item.id.client : undefined;
}

/** The origin of every transaction the server makes (repairs, mutations, commands). */
export class ServerOrigin {
  constructor(readonly roomName: string) {}
}

type State = 'loading' | 'ready' | 'closing' | 'closed';
// biome-ignore lint/suspicious/noExplicitAny: Yjs types every parent and root as AbstractType<any>.
type AnyType = Y.AbstractType<any>;

const MAX_NOTICES_PER_FRAME = 20;

export class Room {
  readonly doc = new Y.Doc();
  readonly origin: ServerOrigin;
  readonly connections = new Set<Connection>();
  readonly ready: Promise<void>;
  readonly inflightCommands = new Map<string, InflightCommand>();
  private state: State = 'loading';
  private readonly loadOrigin = {};
  private readonly relay: AwarenessRelay;
  private readonly pipeline: CommitPipeline;
  /** Who each Yjs client id belongs to (document and presence). */
  private readonly clientIds: ClientIds;
  private readonly answers: SyncAnswers;
  private lastValid = new Map<string, IntegrationPack>();
  private ownedChanges: OwnedKeyChange[] = [];
  private touched: TouchedParts[] = [];
  private buffered: [Connection, Uint8Array][] = [];
  private busy = 0;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** The account's server-owned records (the truth the projection is written from), once loaded. */
  private loadedRecords: AccountRecords | undefined;
  private readonly refusals: RefusalAudit;

  constructor(
    readonly name: string,
    private readonly deps: RoomDeps,
  ) {
    this.origin = new ServerOrigin(name);
    this.refusals = new RefusalAudit(deps.clock);
    defineRoots(this.doc);
    this.clientIds = new ClientIds(name, (binding) => this.pipeline.addBinding(binding));
    this.answers = new SyncAnswers(this.doc);
    this.relay = new AwarenessRelay(this.doc, deps.limits, (frame) => this.sendAll(frame), this.clientIds);
    this.pipeline = new CommitPipeline({
      name,
      doc: this.doc,
      docs: deps.store.docs,
      options: deps.options,
      log: deps.log,
      deliver: (batch) => this.deliver(batch),
      answerNow: (connection, stateVector) => this.sendStep2(connection, stateVector),
      answerFrame: (stateVector) => this.answers.frame(stateVector),
      failed: () => this.shutdownAfterFailure(),
    });
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
      const [stored, bindings, records] = await Promise.all([
        this.deps.store.docs.load(this.name),
        this.deps.store.records.clientIdBindings(this.name),
        this.deps.store.records.load(this.name),
      ]);
      this.doc.transact(() => {
        if (stored.snapshot) Y.applyUpdate(this.doc, stored.snapshot);
        for (const update of stored.updates) Y.applyUpdate(this.doc, update);
      }, this.loadOrigin);
      this.clientIds.load(bindings);
      this.clientIds.claimServerId(this.doc);
      // Structs and deletes stored before updates were checked, waiting for what never came.
      const dropped = dropPending(this.doc);
      if (dropped)
        this.deps.log.warn(
          `Account ${this.name}: dropped ${dropped} bytes of pending structs and deletes from before updates were checked.`,
        );
      this.lastValid = new Map(readPacks(this.doc).map((pack) => [pack.id, pack]));
      this.listen();
      // The projection is rebuilt from the tables: whatever the stored document says there is not trusted.
      this.loadedRecords = new AccountRecords(records);
      if (needsMigration(records, this.doc)) {
        const moved = migrateLegacyRoots(this.doc, this.loadedRecords, this.deps.clock.now());
        this.deps.log.info(`Account ${this.name}: records moved from the document into tables: ${JSON.stringify(moved)}.`, {
          accountId: this.name,
        });
      }
      // Stored with the first commit, in the transaction that stores the projection's rewrite.
      this.loadedRecords.takeDirty();
      this.pipeline.addRecords(this.loadedRecords.takeChanges());
      const rewritten = rebuildProjection(this.doc, this.loadedRecords, this.origin);
      if (rewritten > 0) this.deps.log.info(`Account ${this.name}: ${rewritten} projection entries rewritten from the records on load.`);
      if (this.state !== 'loading') return;
      this.state = 'ready';
      const logBytes = stored.updates.reduce((sum, update) => sum + update.byteLength, 0);
      this.pipeline.start({ lastSeq: stored.lastSeq, logBytes, logCount: stored.updates.length });
    } catch (error) {
      this.deps.log.error(`Loading account ${this.name} failed: ${String(error)}`);
      this.shutdownAfterFailure();
      throw error;
    }
    for (const connection of this.connections) this.greet(connection);
    const buffered = this.buffered;
    this.buffered = [];
    for (const [connection, frame] of buffered) this.receive(connection, frame);
    this.maybeIdle();
  }

  private listen(): void {
    this.doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin !== this.loadOrigin) this.pipeline.add(update, origin);
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
          if (!connection.allowSyncStep1()) {
            connection.close(CloseCode.policyViolation, 'Too many sync requests; reconnect later.');
            return;
          }
          // The handshake: from here on the larger frame limit applies (the answer may wait for a commit).
          connection.synced = true;
          this.pipeline.answer(connection, parsed.stateVector);
          return;
        case 'update':
          this.applyClientUpdate(connection, parsed);
          return;
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
          this.commandFromSocket(connection, parsed.payload);
          return;
      }
    } catch (error) {
      const closeCode = error instanceof FrameError ? error.closeCode : CloseCode.protocolError;
      const message = error instanceof Error ? error.message : String(error);
      this.deps.log.warn(`Closing connection ${connection.id} of account ${this.name} (${closeCode}): ${message}`, {
        connectionId: connection.id,
        accountId: this.name,
      });
      connection.close(closeCode, message);
    }
  }

  /** Sync step 2 with what the document holds (all of it stored), then the stored state vector. */
  private sendStep2(connection: Connection, stateVector: Uint8Array): void {
    connection.send(this.answers.frame(stateVector));
    if (connection.proto) connection.send(encodeStored(Y.encodeStateVector(this.doc)));
  }

  private applyClientUpdate(connection: Connection, { update, decoded, answer }: Extract<ClientFrame, { kind: 'update' }>): void {
    if (!connection.canWrite) {
      this.deps.metrics?.updatesRefused.inc({ reason: 'read_only' });
      if (updateHasNews(this.doc, decoded))
        this.notify(connection, [
          { level: 'error', code: 'READ_ONLY', message: 'You have view-only access to this account: your change was not saved.' },
        ]);
      return;
    }
    const { session } = connection;
    let verdict: ReturnType<typeof checkClientUpdate>;
    try {
      verdict = checkClientUpdate({
        doc: this.doc,
        update,
        decoded,
        personId: session.personId,
        owners: this.clientIds.map,
        serverClientId: this.doc.clientID,
      });
    } catch (error) {
      if (error instanceof MalformedUpdate) throw new FrameError(CloseCode.protocolError, `Malformed update: ${error.message}`);
      throw error;
    }
    if (!verdict.ok) {
      this.refuseUpdate(connection, verdict, answer, verdict.newClientIds ?? []);
      return;
    }
    for (const clientId of verdict.newClientIds) this.clientIds.bind(clientId, session.personId);
    let failure: unknown;
    try {
      Y.applyUpdate(this.doc, update, connection.origin);
      this.deps.metrics?.updatesApplied.inc();
    } catch (error) {
      failure = error;
      this.deps.metrics?.updatesRefused.inc({ reason: 'malformed' });
    }
    if (dropPending(this.doc)) this.deps.log.error(`Account ${this.name}: an update left pending structs after the check; dropped them.`);
    // What breaks a rule about values is repaired; the rest was decided before applying.
    const owned = this.ownedChanges.splice(0);
    const packIds = new Set<string>();
    const stray = new Map<string, AnyType>();
    for (const parts of this.touched.splice(0)) {
      for (const id of parts.packIds) packIds.add(id);
      for (const [name, type] of parts.strayRoots) stray.set(name, type);
    }
    const packsBefore = new Map([...packIds].map((id) => [id, this.lastValid.get(id)]));
    const notices = [
      ...revertOutsidePacks(this.doc, owned, stray, this.origin),
      ...enforcePacks(
        this.doc,
        packIds,
        this.lastValid,
        this.origin,
        { createdAt: this.deps.clock.now().toISOString(), createdBy: session.personName || session.personId },
        lateValues(this.doc, verdict.fieldWrites, (client) => this.clientIds.ownerOf(client) === SERVER_PERSON),
      ),
    ];
    this.recordEdits(packsBefore, session);
    if (notices.length > 0) {
      this.deps.metrics?.updatesRefused.inc({ reason: 'rule' });
      this.deps.log.info(`Reverted ${notices.length} change(s) by ${connection.session.personId} in account ${this.name}.`, {
        connectionId: connection.id,
        accountId: this.name,
      });
      this.notify(connection, notices);
    }
    if (failure) throw new FrameError(CloseCode.protocolError, `The update could not be applied: ${String(failure)}`);
  }

  /**
   * Audits each Name and Description the update changed (as merged and repaired: `lastValid` is the
   * state after enforcePacks), in the commit that stores the update. Who: the person the winning
   * value's client id is bound to (the sender's, since an update under someone else's id is refused;
   * a server repair that kept the sender's value counts as theirs). Not projected into the document:
   * edits are many, and each would add a server update for every client to receive.
   */
  private recordEdits(packsBefore: ReadonlyMap<string, IntegrationPack | undefined>, session: Session): void {
    const records = this.loadedRecords;
    if (!records) return;
    const at = this.deps.clock.now().toISOString();
    for (const [packId, before] of packsBefore) {
      const edits = packEdits(before, this.lastValid.get(packId));
      for (const edit of edits) {
        const owner = this.clientIds.ownerOf(fieldWriter(this.doc, packId, edit.field) ?? this.doc.clientID);
        const bySender = owner === undefined || owner === SERVER_PERSON || owner === session.personId;
        records.audit(editRecord(packId, edit, bySender ? session : { personId: owner, personName: owner }, at), { projected: false });
      }
    }
    this.pipeline.addRecords(records.takeChanges());
  }

  /** Nothing of a refused update is applied, stored or sent on; the sender is told why and, when it lacked something, asked to resync. */
  private refuseUpdate(connection: Connection, refusal: Refusal, answer: boolean, newClientIds: readonly number[]): void {
    this.deps.metrics?.updatesRefused.inc({ reason: refusal.resync ? 'missing' : 'structure' });
    this.deps.log.warn(`Refused an update by ${connection.session.personId} in account ${this.name}: ${refusal.code}: ${refusal.message}`);
    const { code, message, packId } = refusal;
    this.notify(connection, [{ level: 'error', code, message, ...(packId === undefined ? {} : { packId }) }]);
    if (refusal.voids) {
      // Its clocks are the sender's: recorded as void, so the sender's next updates are not stuck behind them.
      for (const clientId of newClientIds) this.clientIds.bind(clientId, connection.session.personId);
      Y.applyUpdate(this.doc, voidUpdate(refusal.voids), connection.origin);
      this.touched.splice(0);
      this.ownedChanges.splice(0);
    }
    // A step 2 already answered our step 1: asking again would get the same answer.
    if (refusal.resync && !answer && connection.allowResync()) connection.send(step1Frame(this.doc));
  }

  /**
   * A stored batch goes to every connection as ONE frame, encoded once: the reference server's cost per
   * receiver, and no per-sender frames (with k senders in a batch those were k × (k − 1) sends).
   * A sender's own part is a no-op for it; only a connection that sent the whole batch (the lone
   * editor, no server repair) is skipped, as it holds all of it already.
   */
  private deliver({ updates, merged, answers, stateVector }: CommittedBatch): void {
    if (merged) {
      const onlySender = updates.every((u) => u.origin === updates[0]!.origin) ? updates[0]!.origin : undefined;
      const frame = updateFrame(merged);
      for (const connection of this.connections) if (connection.origin !== onlySender) connection.send(frame);
    }
    for (const { connection, frame } of answers) connection.send(frame);
    const stored = encodeStored(stateVector);
    for (const connection of this.connections) if (connection.proto) connection.send(stored);
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

  /** The account's records (after `ready`). */
  get records(): AccountRecords {
    if (!this.loadedRecords) throw new Error(`Account ${this.name} is not loaded.`);
    return this.loadedRecords;
  }

  /**
   * Runs fn in one server-origin transaction, with the document and the account's records; their
   * changes and the projection's update are stored in one commit. Resolves once stored and sent.
   */
  async mutate<T>(fn: (doc: Y.Doc, origin: ServerOrigin, records: AccountRecords) => T): Promise<T> {
    this.busy++;
    this.clearIdle();
    try {
      await this.ready;
      if (this.state !== 'ready') throw new Error(`Account ${this.name} is not available (the server is stopping).`);
      let result: T | undefined;
      let thrown: unknown;
      let threw = false;
      const records = this.records;
      this.doc.transact(() => {
        try {
          result = fn(this.doc, this.origin, records);
        } catch (error) {
          threw = true;
          thrown = error;
        }
        projectChanges(this.doc, records, records.takeDirty(), this.origin);
        this.pipeline.addRecords(records.takeChanges());
      }, this.origin);
      await this.pipeline.committed();
      if (threw) throw thrown;
      return result as T;
    } finally {
      this.busy--;
      this.maybeIdle();
    }
  }

  /** Resolves once everything applied so far is stored and sent. */
  committed(): Promise<void> {
    return this.pipeline.committed();
  }

  /** Runs a command once per idempotency key (the one command path, commands/path.ts). */
  async command(session: Session | Actor, envelope: AnyCommandEnvelope): Promise<CommandResult> {
    this.busy++;
    this.clearIdle();
    try {
      return await runCommand(
        {
          room: this,
          records: this.deps.store.records,
          refusals: this.refusals,
          log: this.deps.log,
          clock: this.deps.clock,
          executeCommand: this.deps.executeCommand,
          recordResult: (record) => this.pipeline.addResult(record),
        },
        session,
        envelope,
      );
    } finally {
      this.busy--;
      this.maybeIdle();
    }
  }

  private commandFromSocket(connection: Connection, payload: unknown): void {
    void commandFromFrame(payload, (envelope) => this.command(connection.session, envelope)).then((reply) => {
      if (reply.kind === 'result') connection.send(encodeCommandResult(reply.result));
      else this.notify(connection, [reply.notice]);
    });
  }

  // ------------------------------------------------------------------------------------------
  // Lifetime

  /** Storage failed: nothing unstored may be sent on. Close everyone; the account reloads from what is stored. */
  private shutdownAfterFailure(): void {
    if (this.state === 'closed') return;
    const notice: Notice = {
      level: 'error',
      code: 'STORAGE_FAILED',
      message: 'The server could not store changes. Your unsaved edits stay on your device and are sent again when you reconnect.',
    };
    for (const connection of this.connections) {
      this.notify(connection, [notice]);
      connection.close(CloseCode.tryAgainLater, 'The server could not store changes.');
    }
    this.destroy();
    this.deps.onClosed(this);
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
  }

  private maybeIdle(): void {
    if (this.state !== 'ready' || this.connections.size > 0 || this.busy > 0 || this.idleTimer) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      if (this.connections.size > 0 || this.busy > 0 || this.state !== 'ready') return;
      if (this.pipeline.busy) return this.maybeIdle();
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
      await this.pipeline.drain();
      if (compact && this.pipeline.hasLog && (this.state as State) === 'closing') await this.pipeline.compact();
    }
    for (const connection of this.connections) connection.close(code, reason);
    this.destroy();
  }

  private destroy(): void {
    this.state = 'closed';
    this.clearIdle();
    this.pipeline.rejectWaiters(new Error(`Account ${this.name} was unloaded.`));
    this.relay.destroy();
    this.answers.destroy();
    this.doc.destroy();
  }
}
