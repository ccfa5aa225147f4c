/**
 * Reconnect delays: exponential with "equal jitter" — the n-th retry waits between half and all of
 * min(max, base·2ⁿ). Never zero (a dead server is not hammered), and clients that lost the same
 * server at the same moment spread out instead of returning together.
 */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const defaultBackoff: BackoffOptions = { baseMs: 500, maxMs: 30_000 };

export function backoffDelay(attempt: number, random: () => number, { baseMs, maxMs }: BackoffOptions = defaultBackoff): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
