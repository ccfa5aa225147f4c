/**
 * Auto-apply: at the start of a release date in the publisher's time zone, a scheduled release takes
 * effect and its update reaches every instance that has not applied it. The schedule is a table of the
 * store (`records.schedule`: pending release dates, kept with the releases), so a pass loads only the
 * accounts that have something due, and `start()` catches up on dates that passed while the server was
 * down. Each due release is one AUTO_APPLY command on the one command path, under a key of its own
 * (`autoApplyKey`): one set-based write of the store, exactly once. Clock and timer are injected;
 * tests move a fake clock and call `tick()`.
 */
import type { AnyCommandEnvelope, CommandResult } from '../shared/commands.ts';
import { autoApplyKey, SCHEDULER_ACTOR } from './commands/auto-apply.ts';
import type { Actor } from './commands/execute.ts';
import type { Clock } from './config.ts';
import type { RecordStore } from './storage/types.ts';

export interface SchedulerRooms {
  command(accountId: string, actor: Actor, envelope: AnyCommandEnvelope): Promise<CommandResult>;
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
  records: Pick<RecordStore, 'schedule'>;
  /** Several instances: whether this one runs the account's releases (its owner does); all, alone. */
  mayServe?(accountId: string): Promise<boolean>;
  timer?: Timer;
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
  /** One pass: applies what is due. Concurrent calls share one pass. */
  tick(): Promise<TickReport>;
  /** Stops the timer and waits for a pass in progress to finish the release it is applying. */
  stop(): Promise<void>;
}

/** Who AUTO_APPLY is run as: the server itself. */
export const schedulerActor: Actor = { personId: 'scheduler', personName: SCHEDULER_ACTOR, role: 'system' };

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

export function createScheduler(options: SchedulerOptions): Scheduler {
  const { clock, rooms } = options;
  const timer = options.timer ?? realTimer;
  const maxDelayMs = options.maxDelayMs ?? 60_000;
  let handle: unknown;
  let running: Promise<TickReport> | undefined;
  /** idle: only explicit ticks (tests); started: a timer keeps ticking; stopped: finish the current release and stop. */
  let state: 'idle' | 'started' | 'stopped' = 'idle';

  async function pass(): Promise<TickReport> {
    const report: TickReport = { releasesApplied: 0, instancesUpdated: 0, instancesFailed: 0, nextAt: undefined };
    const now = clock.now();
    const { due, next } = await options.records.schedule(now);
    for (const entry of due) {
      if (state === 'stopped') break;
      try {
        if (options.mayServe && !(await options.mayServe(entry.accountId))) continue;
        const result = await rooms.command(entry.accountId, schedulerActor, {
          idempotencyKey: autoApplyKey(entry.packId, entry.releaseNumber),
          command: { type: 'AUTO_APPLY', packId: entry.packId, releaseNumber: entry.releaseNumber },
        });
        if (result.instancesUpdated !== undefined) {
          report.releasesApplied += 1;
          report.instancesUpdated += result.instancesUpdated;
          report.instancesFailed += result.instancesFailed ?? 0;
        }
      } catch (error) {
        options.onError?.(error, entry.accountId);
      }
      await yieldToEventLoop();
    }
    if (next) report.nextAt = new Date(next);
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
