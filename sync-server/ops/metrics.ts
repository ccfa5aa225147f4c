/**
 * Prometheus metrics (prom-client), one registry per server. What the hot path pays is a counter
 * increment per client update and a timer around each commit; gauges that can be read from the
 * server (connections, rooms, scheduler lag) are read only when /metrics is scraped.
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RoomMetrics } from '../sync/room-deps.ts';
import type { DocStore, Store } from '../storage/types.ts';

/** What the gauges read at scrape time. */
export interface MetricSources {
  connections(): number;
  roomsLoaded(): number;
  schedulerLagSeconds(): number;
}

export interface ServerMetrics extends RoomMetrics {
  readonly registry: Registry;
  readonly commitSeconds: Histogram;
  readonly commitFailures: Counter;
  readonly accountBytes: Gauge<'account'>;
}

export interface MetricsOptions {
  /** Node's own metrics too (CPU, memory, event-loop delay, GC): once per process, not per test server. */
  process?: boolean;
}

export function createMetrics(sources: MetricSources, options: MetricsOptions = {}): ServerMetrics {
  const registry = new Registry();
  if (options.process) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  new Gauge({
    name: 'ipack_connections',
    help: 'Open WebSocket connections on /sync.',
    registers,
    collect() {
      this.set(sources.connections());
    },
  });
  new Gauge({
    name: 'ipack_rooms_loaded',
    help: 'Account documents loaded in memory.',
    registers,
    collect() {
      this.set(sources.roomsLoaded());
    },
  });
  new Gauge({
    name: 'ipack_scheduler_lag_seconds',
    help: 'How far the auto-apply scheduler is behind: seconds since its current pass was due (0 while it waits for the next).',
    registers,
    collect() {
      this.set(sources.schedulerLagSeconds());
    },
  });
  return {
    registry,
    updatesApplied: new Counter({ name: 'ipack_updates_applied_total', help: 'Client document updates applied.', registers }),
    updatesRefused: new Counter({
      name: 'ipack_updates_refused_total',
      help: 'Client document updates refused or repaired, by reason (read_only, malformed, structure, missing, rule).',
      labelNames: ['reason'],
      registers,
    }),
    commitSeconds: new Histogram({
      name: 'ipack_commit_duration_seconds',
      help: 'Time to store one commit (a batch of updates and command results) durably.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    }),
    commitFailures: new Counter({ name: 'ipack_commit_failures_total', help: 'Commits the store refused.', registers }),
    accountBytes: new Gauge({
      name: 'ipack_account_stored_bytes',
      help: "Bytes of an account's stored document (snapshot and update log), as last loaded or written by this server.",
      labelNames: ['account'],
      registers,
    }),
  };
}

const byteSum = (parts: readonly (Uint8Array | undefined)[]) => parts.reduce((sum, part) => sum + (part?.byteLength ?? 0), 0);

/**
 * The store with its document writes measured: each append's duration (the commit latency) and the
 * stored bytes per account, kept from what this server loads, appends and compacts (no extra query
 * on the hot path; one size query after a compaction).
 */
export function instrumentStore(store: Store, metrics: ServerMetrics): Store {
  const inner = store.docs;
  const docs: DocStore = {
    load: async (doc) => {
      const stored = await inner.load(doc);
      metrics.accountBytes.set({ account: doc }, byteSum([stored.snapshot, ...stored.updates]));
      return stored;
    },
    append: async (doc, updates, options) => {
      const done = metrics.commitSeconds.startTimer();
      try {
        const seq = await inner.append(doc, updates, options);
        done();
        metrics.accountBytes.inc({ account: doc }, byteSum(updates));
        return seq;
      } catch (error) {
        metrics.commitFailures.inc();
        throw error;
      }
    },
    compact: async (doc, snapshot, throughSeq, options) => {
      await inner.compact(doc, snapshot, throughSeq, options);
      const sizes = await inner.sizes(doc);
      metrics.accountBytes.set({ account: doc }, sizes.snapshotBytes + sizes.logBytes);
    },
    sizes: async (doc) => {
      const sizes = await inner.sizes(doc);
      metrics.accountBytes.set({ account: doc }, sizes.snapshotBytes + sizes.logBytes);
      return sizes;
    },
  };
  return new Proxy(store, { get: (target, key, receiver) => (key === 'docs' ? docs : Reflect.get(target, key, receiver)) });
}

/**
 * Every account's stored bytes, read once (one size query per account): the scheduler no longer
 * opens every document, so an account nobody has opened since the start would be missing from
 * /metrics until then.
 */
export async function measureStoredAccounts(store: Store): Promise<void> {
  for (const account of await store.accounts.listAccounts()) await store.docs.sizes(account.id);
}
