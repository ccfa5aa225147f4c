/**
 * The rooms of one server: loads an account's room on first use, unloads it when idle, and is the
 * API for server-side changes (REST routes, commands, the auto-apply scheduler).
 */
import type * as Y from 'yjs';
import type { AnyCommandEnvelope, CommandResult } from '../../shared/index.ts';
import type { Session } from '../auth.ts';
import type { Actor } from '../commands/execute.ts';
import type { AccountRecords } from '../records/account-records.ts';
import { Connection, type SyncSocket } from './connection.ts';
import type { RoomDeps } from './room-deps.ts';
import { Room, type ServerOrigin } from './room.ts';

export type RoomsDeps = Omit<RoomDeps, 'onIdle' | 'onClosed'> & {
  /** Several instances: the store a room of this account uses (lease taken on load, fenced writes). */
  storeFor?(accountId: string): RoomDeps['store'];
  /** The account has no room here any more (several instances: its lease is let go). */
  onRoomGone?(accountId: string): void;
};

export class Rooms {
  private readonly rooms = new Map<string, Room>();
  private readonly unloading = new Set<Promise<void>>();
  /** Rooms still storing their last changes, by account: a new room of the account loads after. */
  private readonly closing = new Map<string, Promise<void>>();
  private closed = false;
  /** Called after a room was unloaded (tests await it instead of sleeping). */
  onUnloaded: ((accountId: string) => void) | undefined;

  constructor(private readonly deps: RoomsDeps) {}

  /** The account's room, loading it if needed. */
  room(accountId: string): Room {
    if (this.closed) throw new Error('The server is stopping.');
    let room = this.rooms.get(accountId);
    if (!room) {
      room = new Room(accountId, {
        ...this.deps,
        store: loadAfter(this.closing.get(accountId), this.deps.storeFor?.(accountId) ?? this.deps.store),
        onIdle: (idle) => this.unload(idle),
        onClosed: (gone) => {
          if (this.rooms.get(gone.name) === gone) this.rooms.delete(gone.name);
          this.gone(gone.name);
        },
      });
      this.rooms.set(accountId, room);
    }
    return room;
  }

  isLoaded(accountId: string): boolean {
    return this.rooms.has(accountId);
  }

  loadedAccounts(): string[] {
    return [...this.rooms.keys()].sort();
  }

  connectionCount(accountId: string): number {
    return this.rooms.get(accountId)?.connections.size ?? 0;
  }

  /**
   * Runs fn synchronously in one server-origin transaction on the account's document, after loading
   * it; resolves with fn's result once the changes are stored and sent to every connection. For large
   * batches, call it once per chunk (each chunk is one transaction and one commit).
   */
  mutate<T>(accountId: string, fn: (doc: Y.Doc, origin: ServerOrigin, records: AccountRecords) => T): Promise<T> {
    return this.room(accountId).mutate(fn);
  }

  /** Reads the document and the account's records without changing them (after loading them). */
  async read<T>(accountId: string, fn: (doc: Y.Doc, records: AccountRecords) => T): Promise<T> {
    const room = this.room(accountId);
    await room.ready;
    return fn(room.doc, room.records);
  }

  /** The one command path (commands/path.ts), for every channel and the scheduler. */
  command(accountId: string, session: Session | Actor, envelope: AnyCommandEnvelope): Promise<CommandResult> {
    return this.room(accountId).command(session, envelope);
  }

  /** Attaches an authenticated socket to its account's room. */
  connect(accountId: string, socket: SyncSocket, session: Session, proto: boolean): Connection {
    const room = this.room(accountId);
    const connection = new Connection(socket, session, proto, this.deps.limits);
    room.connect(connection);
    return connection;
  }

  receive(accountId: string, connection: Connection, frame: Uint8Array): void {
    const room = this.rooms.get(accountId);
    if (room?.connections.has(connection)) room.receive(connection, frame);
  }

  disconnect(accountId: string, connection: Connection): void {
    connection.closed = true;
    this.rooms.get(accountId)?.disconnect(connection);
  }

  /** Several instances: another instance took the account over; close its room here without writing. */
  evict(accountId: string): void {
    const room = this.rooms.get(accountId);
    if (!room) return;
    this.rooms.delete(accountId);
    const done = room.close(1012, 'The account moved to another server; reconnect.').catch(() => undefined);
    this.closing.set(accountId, done);
    void done.finally(() => {
      if (this.closing.get(accountId) === done) this.closing.delete(accountId);
    });
  }

  private gone(accountId: string): void {
    if (!this.closed && !this.rooms.has(accountId)) this.deps.onRoomGone?.(accountId);
  }

  private unload(room: Room): void {
    if (this.rooms.get(room.name) !== room) return;
    this.rooms.delete(room.name);
    const done = room.close(1000, 'Unloaded', { compact: true }).then(
      () => {
        this.gone(room.name);
        this.onUnloaded?.(room.name);
      },
      (error: unknown) => this.deps.log.warn(`Unloading account ${room.name} failed: ${String(error)}`),
    );
    this.unloading.add(done);
    this.closing.set(room.name, done);
    void done.finally(() => {
      this.unloading.delete(done);
      if (this.closing.get(room.name) === done) this.closing.delete(room.name);
    });
  }

  /** Stores everything pending, closes every connection with `code` (1012 on restart). */
  async close(code: number, reason: string): Promise<void> {
    this.closed = true;
    const rooms = [...this.rooms.values()];
    this.rooms.clear();
    await Promise.all(rooms.map((room) => room.close(code, reason)));
    await Promise.all([...this.unloading]);
  }
}

/**
 * The store as a new room sees it: its first load waits for the account's previous room to finish
 * storing (with an asynchronous store, the load could otherwise miss those changes and the two
 * rooms' appends would race for the same sequence numbers).
 */
function loadAfter(previous: Promise<void> | undefined, store: RoomDeps['store']): RoomDeps['store'] {
  if (!previous) return store;
  return {
    ...store,
    docs: {
      ...store.docs,
      load: async (name) => {
        await previous;
        return store.docs.load(name);
      },
    },
  };
}
