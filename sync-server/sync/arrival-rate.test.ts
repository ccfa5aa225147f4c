import { expect, test } from 'vitest';
import { ArrivalRate } from './arrival-rate.ts';

test('a steady stream reads as its rate; a pause lets the rate fall', () => {
  const rate = new ArrivalRate(250);
  expect(rate.perSecond(0)).toBe(0);
  // 500 events per second for 2 s (10τ: the estimate has settled).
  for (let at = 0; at <= 2_000; at += 2) rate.record(at);
  expect(rate.perSecond(2_000)).toBeGreaterThan(450);
  expect(rate.perSecond(2_000)).toBeLessThan(550);
  // 200 per second for 2 s: below it again.
  for (let at = 2_005; at <= 4_000; at += 5) rate.record(at);
  expect(rate.perSecond(4_000)).toBeGreaterThan(180);
  expect(rate.perSecond(4_000)).toBeLessThan(220);
  // A second of silence: under 2% of it is left.
  expect(rate.perSecond(5_000)).toBeLessThan(4);
});

test('a few events at once are not load', () => {
  const rate = new ArrivalRate(250);
  for (let i = 0; i < 3; i++) rate.record(100);
  expect(rate.perSecond(100)).toBe(12);
});
