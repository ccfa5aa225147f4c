/**
 * Commands (release, delete, …) wait in IndexedDB until the server has answered them. Each carries an
 * idempotency key made when the person asked; every send — the first, and each re-send after a
 * reconnect — uses that same key, and the server answers a repeated key with the first result
 * instead of running the command again. A command leaves the outbox only when its result arrives.
 */
import { encodeCommand, type Command, type CommandResult } from '../../shared/index.ts';
import type { CommandOutcome } from './api.ts';
import type { OutboxRow, PackDb } from './db.ts';

export interface CommandTransport {
  /** Connected and synced: a command sent now reaches the server after this device's edits. */
  readonly ready: boolean;
  send(frame: Uint8Array): boolean;
}

export interface OutboxOptions {
  now(): Date;
  newKey(): string;
  /** How long a caller waits for a result before hearing "queued" (the result still arrives later). */
  waitMs?: number;
  /** A result nobody awaits any more (the command was queued, or the caller stopped waiting). */
  onLateResult(result: CommandResult, command: Command): void;
}

interface Waiter {
  resolve(outcome: CommandOutcome): void;
  timer: ReturnType<typeof setTimeout>;
}

export class Outbox {
  private readonly waiters = new Map<string, Waiter>();

  constructor(
    private readonly db: PackDb,
    private readonly transport: CommandTransport,
    private readonly options: OutboxOptions,
  ) {}

  /** Stores the command, sends it if the server is reachable, and waits (a while) for its result. */
  async submit(command: Command): Promise<CommandOutcome> {
    const row: OutboxRow = { idempotencyKey: this.options.newKey(), command, createdAt: this.options.now().toISOString(), sends: 0 };
    await this.db.outbox.add(row);
    const queued: CommandOutcome = { queued: true, idempotencyKey: row.idempotencyKey };
    if (!this.transport.ready) return queued;
    const outcome = new Promise<CommandOutcome>((resolve) => {
      const timer = setTimeout(() => this.release(row.idempotencyKey, queued), this.options.waitMs ?? 15_000);
      this.waiters.set(row.idempotencyKey, { resolve, timer });
    });
    await this.send(row);
    return outcome;
  }

  private release(key: string, outcome: CommandOutcome): boolean {
    const waiter = this.waiters.get(key);
    if (!waiter) return false;
    clearTimeout(waiter.timer);
    this.waiters.delete(key);
    waiter.resolve(outcome);
    return true;
  }

  private async send(row: OutboxRow): Promise<void> {
    if (!this.transport.send(encodeCommand({ idempotencyKey: row.idempotencyKey, command: row.command }))) return;
    await this.db.outbox.update(row.idempotencyKey, { sends: row.sends + 1 });
  }

  /** After (re)connecting: sends every command still waiting, oldest first, each with its own key. */
  async resendAll(): Promise<number> {
    const rows = await this.db.outbox.orderBy('createdAt').toArray();
    for (const row of rows) {
      if (!this.transport.ready) break;
      await this.send(row);
    }
    return rows.length;
  }

  /** A result from the server: the command leaves the outbox (once, however often it was answered). */
  async onResult(result: CommandResult): Promise<void> {
    const row = await this.db.transaction('rw', this.db.outbox, async () => {
      const found = await this.db.outbox.get(result.idempotencyKey);
      if (found) await this.db.outbox.delete(result.idempotencyKey);
      return found;
    });
    if (this.release(result.idempotencyKey, { queued: false, result })) return;
    if (row) this.options.onLateResult(result, row.command);
  }

  /** The connection dropped: callers still waiting hear "queued"; the commands stay in the outbox. */
  onDisconnected(): void {
    for (const key of [...this.waiters.keys()]) this.release(key, { queued: true, idempotencyKey: key });
  }

  close(): void {
    this.onDisconnected();
  }
}
