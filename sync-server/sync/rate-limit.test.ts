import { expect, test } from 'vitest';
import { createTokenBucket } from './rate-limit.ts';

test('a bucket lets a burst through, then asks to wait until the refill', () => {
  let now = 0;
  const bucket = createTokenBucket(10, 3, () => now);
  expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0]);
  expect(bucket.take()).toBe(100);
  now += 100;
  expect(bucket.take()).toBe(100);
  now += 1000;
  expect(bucket.take()).toBe(0);
});

test('tokens never pile up beyond the burst', () => {
  let now = 0;
  const bucket = createTokenBucket(100, 2, () => now);
  now += 60_000;
  expect([bucket.take(), bucket.take()]).toEqual([0, 0]);
  expect(bucket.take()).toBeGreaterThan(0);
});
