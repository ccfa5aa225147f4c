/**
 * Waiting without sleeping: a pulse that clients emit whenever something changed (coalesced to
 * once per turn of the event loop), and `until`, which re-checks a condition at every pulse.
 */

export interface Pulse {
  on(fn: () => void): () => void;
  emit(): void;
}

export function createPulse(): Pulse {
  const listeners = new Set<() => void>();
  let scheduled = false;
  return {
    on(fn) {
      listeners.add(fn);
      return () => void listeners.delete(fn);
    },
    emit() {
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        for (const fn of [...listeners]) fn();
      });
    },
  };
}

/** Resolves when check() holds, re-checked at every pulse; rejects after timeoutMs naming `what`. */
export function until(pulse: Pulse, check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) return resolve();
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const off = pulse.on(() => {
      if (!check()) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
