/**
 * Which accounts this instance serves. One owner per account at a time: the owner holds the
 * account's lease (LeaseStore, timed by the database) and renews it every `renewMs`; every write it
 * makes carries the lease's fence, so once another instance has taken over, a stale owner's write
 * fails instead of landing (see storage/postgres/docs.ts). A lease renewal that finds a lease gone,
 * or no renewal succeeding for a whole `ttlMs`, evicts the account's room here (its clients
 * reconnect and are relayed to the new owner). Lease operations on one account run one at a time.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../log.ts';
import type { Lease, LeaseStore, Store } from '../storage/types.ts';

export interface OwnershipOptions {
  /** Where the other instances reach this one (INSTANCE_URL), e.g. http://10.0.0.5:8080. */
  url: () => string;
  /** How long a lease lasts without renewal: the longest an account stays unserved after its owner died. */
  ttlMs: number;
  /** How often leases are renewed (well under ttlMs). */
  renewMs: number;
  /** This instance's identity in the lease table; a fresh one per process unless given. */
  id?: string;
}

export const defaultLeaseTiming = { ttlMs: 10_000, renewMs: 3_000 };

/** The account is served by another instance (or was taken over while this one loaded it). */
export class NotOwnerError extends Error {
  constructor(
    readonly accountId: string,
    readonly holder: Lease | undefined,
  ) {
    super(`Account ${accountId} is served by another instance${holder ? ` (${holder.ownerUrl})` : ''}.`);
    this.name = 'NotOwnerError';
  }
}

export type Placement = { local: true; fence: number } | { local: false; holder: Lease };

export class Ownership {
  readonly id: string;
  private readonly held = new Map<string, number>();
  /** Accounts kept here while this instance runs, with or without a room (see pin). */
  private readonly pinned = new Set<string>();
  private readonly chains = new Map<string, Promise<unknown>>();
  private timer: ReturnType<typeof setInterval> | undefined;
  private lastRenewal = Date.now();
  private stopped = false;

  constructor(
    private readonly leases: LeaseStore,
    private readonly options: OwnershipOptions,
    private readonly log: Logger,
    /** The lease of `accountId` is gone: stop serving it now. */
    private readonly onLost: (accountId: string) => void,
  ) {
    this.id = options.id ?? `${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  }

  get url(): string {
    return this.options.url();
  }

  holds(accountId: string): boolean {
    return this.held.has(accountId);
  }

  heldAccounts(): string[] {
    return [...this.held.keys()].sort();
  }

  /** Takes (or keeps) the account's lease, or names the instance that holds it. */
  place(accountId: string): Promise<Placement> {
    return this.serially(accountId, async () => {
      if (this.stopped) throw new Error('This instance is stopping.');
      const result = await this.leases.acquire(accountId, { id: this.id, url: this.options.url() }, this.options.ttlMs);
      if (!result.acquired) {
        this.held.delete(accountId);
        return { local: false, holder: result.holder };
      }
      this.held.set(accountId, result.fence);
      return { local: true, fence: result.fence };
    });
  }

  /** The live holder when it is another instance; undefined when the account is ours or free. */
  async remoteHolder(accountId: string): Promise<Lease | undefined> {
    if (this.held.has(accountId)) return undefined;
    const holder = await this.leases.holder(accountId);
    return holder && holder.ownerId !== this.id ? holder : undefined;
  }

  /**
   * Takes the accounts' leases and keeps them while this instance runs, even when their rooms
   * unload, and does not let them go on stop (a restart under the same `id` takes them straight
   * back). For affinity; tests pin the accounts they drive in process. Resolves with those it got.
   */
  async pin(accountIds: readonly string[]): Promise<string[]> {
    const got: string[] = [];
    for (const accountId of accountIds) {
      this.pinned.add(accountId);
      if ((await this.place(accountId)).local) got.push(accountId);
    }
    return got;
  }

  release(accountId: string): Promise<void> {
    return this.serially(accountId, async () => {
      const fence = this.held.get(accountId);
      if (fence === undefined || this.pinned.has(accountId)) return;
      this.held.delete(accountId);
      await this.leases.release(accountId, this.id, fence);
    });
  }

  /**
   * The store a room of `accountId` uses: loading takes the lease (or fails with NotOwnerError),
   * and every write carries the fence taken then.
   */
  storeFor(accountId: string, base: Store): Store {
    let fence: number | undefined;
    const current = () => {
      if (fence === undefined) throw new NotOwnerError(accountId, undefined);
      return fence;
    };
    return {
      ...base,
      docs: {
        ...base.docs,
        load: async (name) => {
          const placement = await this.place(accountId);
          if (!placement.local) throw new NotOwnerError(accountId, placement.holder);
          fence = placement.fence;
          return base.docs.load(name);
        },
        append: (name, updates, options) => base.docs.append(name, updates, { ...options, fence: current() }),
        compact: (name, snapshot, throughSeq, options) => base.docs.compact(name, snapshot, throughSeq, { ...options, fence: current() }),
      },
    };
  }

  start(): void {
    this.timer = setInterval(() => void this.renew(), this.options.renewMs);
    this.timer.unref();
  }

  /** Renews every held lease at once; evicts what was lost. */
  async renew(): Promise<void> {
    const accounts = [...this.held.keys()];
    try {
      const kept = new Set(await this.leases.renew(this.id, accounts, this.options.ttlMs));
      this.lastRenewal = Date.now();
      for (const accountId of accounts)
        if (!kept.has(accountId) && this.held.has(accountId)) this.lose(accountId, 'its lease was taken over');
    } catch (error) {
      this.log.warn(`Renewing account leases failed: ${String(error)}`);
      // Without a renewal for a whole lease, another instance may already serve our accounts.
      if (Date.now() - this.lastRenewal >= this.options.ttlMs)
        for (const accountId of [...this.held.keys()]) this.lose(accountId, 'its lease could not be renewed');
    }
  }

  private lose(accountId: string, why: string): void {
    this.held.delete(accountId);
    this.log.warn(`No longer serving account ${accountId}: ${why}.`);
    this.onLost(accountId);
  }

  /** Stops renewing and lets every held lease (but the pinned) lapse now, so other instances take over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await Promise.all([...this.chains.values()].map((chain) => chain.catch(() => undefined)));
    const releasable = [...this.held].filter(([accountId]) => !this.pinned.has(accountId));
    await Promise.all(releasable.map(([accountId, fence]) => this.leases.release(accountId, this.id, fence).catch(() => undefined)));
    this.held.clear();
  }

  private serially<T>(accountId: string, body: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(accountId) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(body);
    this.chains.set(accountId, next);
    const forget = () => {
      if (this.chains.get(accountId) === next) this.chains.delete(accountId);
    };
    next.then(forget, forget);
    return next;
  }
}
