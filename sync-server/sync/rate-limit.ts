/** A token bucket: `burst` frames at once, refilled at `rate` per second. */
export interface TokenBucket {
  /** Takes one token; returns 0 when there was one, else the milliseconds until there will be. */
  take(): number;
}

export function createTokenBucket(rate: number, burst: number, now: () => number = () => performance.now()): TokenBucket {
  let tokens = burst;
  let last = now();
  return {
    take() {
      const at = now();
      tokens = Math.min(burst, tokens + ((at - last) / 1000) * rate);
      last = at;
      tokens -= 1;
      return tokens >= 0 ? 0 : Math.ceil((-tokens / rate) * 1000);
    },
  };
}
