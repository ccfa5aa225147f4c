/**
 * Watches the auto-apply scheduler from outside, through the timer it is given: whether it runs
 * (for /readyz) and how far behind it is (for /metrics), without a line in scheduler.ts. The
 * scheduler arms its timer after every pass, so a fired timer that has not been re-armed is a pass
 * in progress, due since the time the timer was set for.
 */
import type { Clock } from '../config.ts';
import { realTimer, type Timer } from '../scheduler.ts';

export type ScheduleState = 'off' | 'running' | 'waiting' | 'stopped';

export interface ScheduleWatch {
  /** The timer to give the scheduler. */
  readonly timer: Timer;
  /** The scheduler's first pass starts now (start() runs one before arming the timer). */
  started(): void;
  stopped(): void;
  state(): ScheduleState;
  /** Seconds since the pass in progress (or an overdue timer) was due; 0 while waiting or when not running. */
  lagSeconds(): number;
}

export function watchSchedule(clock: Clock, inner: Timer = realTimer): ScheduleWatch {
  let state: ScheduleState = 'off';
  /** When the current pass was due (running), or when the armed timer is due (waiting). */
  let dueAt = 0;
  const now = () => clock.now().getTime();
  return {
    timer: {
      set(fn, delayMs) {
        if (state !== 'stopped') state = 'waiting';
        dueAt = now() + delayMs;
        return inner.set(() => {
          if (state === 'waiting') state = 'running';
          fn();
        }, delayMs);
      },
      clear: (handle) => inner.clear(handle),
    },
    started() {
      state = 'running';
      dueAt = now();
    },
    stopped() {
      state = 'stopped';
    },
    state: () => state,
    lagSeconds: () => (state === 'running' || state === 'waiting' ? Math.max(0, now() - dueAt) / 1000 : 0),
  };
}
