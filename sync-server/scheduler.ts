/**
 * Auto-apply: at the start of a release date in the publisher's time zone, a scheduled release takes
 * effect and its update reaches every instance that has not applied it. The schedule is the stored
 * documents themselves (releases with status SCHEDULED), so it survives restarts: `start()` catches up
 * on dates that passed while the server was down. Work is done in chunks through the room's mutate
 * (persisted before broadcast), yielding to the event loop between chunks so other accounts keep
 * syncing. Clock and timer are injected; tests move a fake clock and call `tick()`.
 */
import type * as Y from 'yjs';
import type { Clock } from './config.ts';
import { applyDueStep, awaitingIds, readSchedule, type DueRelease } from './scheduler-apply.ts';

export interface SchedulerRooms {
  mutate<T>(accountId: string, fn: (doc: Y.Doc, origin: unknown) => T): Promise<T>;
  /** Reads without a transaction (no commit to wait for). */
  read<T>(accountId: string, fn: (doc: Y.Doc) => T): Promise<T>;
}

export interface Timer {
  set(fn: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

export const realTimer: Timer = {
  set: (fn, delayMs) => {
    const handle = setTimeout(fn, delayMs);
    handle.unref?.();
    return handle;
  },
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export interface SchedulerOptions {
  clock: Clock;
  rooms: SchedulerRooms;
  listAccountIds(): Promise<string[]>;
  timer?: Timer;
  /** Instances per transaction. */
  chunkSize?: number;
  /** The longest the scheduler sleeps, so a clock jump or a newly scheduled release is noticed within it. */
  maxDelayMs?: number;
  onError?(error: unknown, accountId: string): void;
}

export interface TickReport {
  releasesApplied: number;
  instancesUpdated: number;
  instancesFailed: number;
  /** When the next scheduled release takes effect, over all accounts. */
  nextAt: Date | undefined;
}

export interface Scheduler {
  /** Catches up on due releases, then keeps a timer for the next one. */
  start(): Promise<TickReport>;
  /** One pass over every account: applies what is due. Concurrent calls share one pass. */
  tick(): Promise<TickReport>;
  /** Stops the timer and waits for a pass in progress to finish its current chunk. */
  stop(): Promise<void>;
}

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));
/** A step that applies nothing and is not done cannot happen; this bounds the loop all the same. */
const MAX_STEPS_PER_RELEASE = 100_000;

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { clock, rooms } = options;
  const timer = options.timer ?? realTimer;
  const chunkSize = options.chunkSize ?? 2_000;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  let handle: unknown;
  let running: Promise<TickReport> | undefined;
  /** idle: only explicit ticks (tests); started: a timer keeps ticking; stopped: finish the current chunk and stop. */
  let state: 'idle' | 'started' | 'stopped' = 'idle';

  async function applyRelease(accountId: string, release: DueRelease, now: Date, report: TickReport): Promise<void> {
    const ids = await rooms.read(accountId, (doc) => awaitingIds(doc, release, now));
    for (let start = 0; start < ids.length && state !== 'stopped'; start += chunkSize) {
      const chunk = ids.slice(start, start + chunkSize);
      const result = await rooms.mutate(accountId, (doc, origin) => applyDueStep(doc, origin, release, now, chunkSize, chunk));
      report.instancesUpdated += result.updated;
      report.instancesFailed += result.failed;
      await yieldToEventLoop();
    }
    // Whatever was installed meanwhile, then the release is marked done.
    for (let step = 0; step < MAX_STEPS_PER_RELEASE && state !== 'stopped'; step += 1) {
      const result = await rooms.mutate(accountId, (doc, origin) => applyDueStep(doc, origin, release, now, chunkSize));
      report.instancesUpdated += result.updated;
      report.instancesFailed += result.failed;
      if (result.done) {
        report.releasesApplied += 1;
        return;
      }
      await yieldToEventLoop();
    }
  }

  async function pass(): Promise<TickReport> {
    const report: TickReport = { releasesApplied: 0, instancesUpdated: 0, instancesFailed: 0, nextAt: undefined };
    const now = clock.now();
    for (const accountId of await options.listAccountIds()) {
      try {
        if (state === 'stopped') break;
        const { due, nextAt } = await rooms.read(accountId, (doc) => readSchedule(doc, now));
        for (const release of due) await applyRelease(accountId, release, now, report);
        if (nextAt && (!report.nextAt || nextAt < report.nextAt)) report.nextAt = nextAt;
      } catch (error) {
        options.onError?.(error, accountId);
      }
    }
    return report;
  }

  function arm(nextAt: Date | undefined): void {
    if (state !== 'started') return;
    if (handle !== undefined) timer.clear(handle);
    const untilDue = nextAt ? nextAt.getTime() - clock.now().getTime() : maxDelayMs;
    handle = timer.set(
      () => {
        handle = undefined;
        void tick();
      },
      Math.max(0, Math.min(untilDue, maxDelayMs)),
    );
  }

  function tick(): Promise<TickReport> {
    if (running) return running;
    running = pass().finally(() => {
      running = undefined;
    });
    const current = running;
    current.then(
      (report) => arm(report.nextAt),
      () => arm(undefined),
    );
    return current;
  }

  return {
    async start() {
      state = 'started';
      return tick();
    },
    tick,
    async stop() {
      state = 'stopped';
      if (handle !== undefined) timer.clear(handle);
      handle = undefined;
      await running?.catch(() => undefined);
    },
  };
}
