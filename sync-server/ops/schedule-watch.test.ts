import { expect, test } from 'vitest';
import type { Timer } from '../scheduler.ts';
import { watchSchedule } from './schedule-watch.ts';

function fakes() {
  let now = 1_000_000;
  const armed: { fn: () => void; delayMs: number }[] = [];
  const timer: Timer = { set: (fn, delayMs) => armed.push({ fn, delayMs }), clear: () => {} };
  return { clock: { now: () => new Date(now) }, timer, armed, advance: (ms: number) => (now += ms) };
}

test('off until started; a pass in progress lags from when it was due; waiting lags only once overdue', () => {
  const { clock, timer, armed, advance } = fakes();
  const watch = watchSchedule(clock, timer);
  expect([watch.state(), watch.lagSeconds()]).toEqual(['off', 0]);

  watch.started();
  advance(2_500);
  expect([watch.state(), watch.lagSeconds()]).toEqual(['running', 2.5]);

  watch.timer.set(() => {}, 60_000);
  expect([watch.state(), watch.lagSeconds()]).toEqual(['waiting', 0]);
  advance(60_000);
  expect(watch.lagSeconds()).toBe(0);
  advance(1_000);
  expect(watch.lagSeconds()).toBe(1);

  armed[0]!.fn();
  advance(4_000);
  expect([watch.state(), watch.lagSeconds()]).toEqual(['running', 5]);

  watch.stopped();
  watch.timer.set(() => {}, 10);
  expect([watch.state(), watch.lagSeconds()]).toEqual(['stopped', 0]);
});
