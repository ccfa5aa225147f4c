/**
 * A Store that times its document writes per document, to say where a slow server-side operation
 * spends its time (commits and compactions against everything else). Pass-through otherwise.
 */
import { performance } from 'node:perf_hooks';
import type { Store } from '../../sync-server/storage/types.ts';

export interface DocTimings {
  appendCount: number;
  /** Summed latency of the appends (they may overlap). */
  appendMs: number;
  maxAppendMs: number;
  appendBytes: number;
  compactCount: number;
  compactMs: number;
  compactBytes: number;
}

const empty = (): DocTimings => ({
  appendCount: 0,
  appendMs: 0,
  maxAppendMs: 0,
  appendBytes: 0,
  compactCount: 0,
  compactMs: 0,
  compactBytes: 0,
});

export function timedStore(store: Store): Store & { timings: { reset(): void; snapshot(): Record<string, DocTimings> } } {
  let byDoc = new Map<string, DocTimings>();
  const of = (name: string) => byDoc.get(name) ?? (byDoc.set(name, empty()), byDoc.get(name)!);
  const docs: Store['docs'] = {
    load: (name) => store.docs.load(name),
    sizes: (name) => store.docs.sizes(name),
    async append(name, updates, options) {
      const began = performance.now();
      try {
        return await store.docs.append(name, updates, options);
      } finally {
        const t = of(name);
        const ms = performance.now() - began;
        t.appendCount++;
        t.appendMs += ms;
        t.maxAppendMs = Math.max(t.maxAppendMs, ms);
        t.appendBytes += updates.reduce((sum, u) => sum + u.byteLength, 0);
      }
    },
    async compact(name, snapshot, throughSeq) {
      const began = performance.now();
      try {
        return await store.docs.compact(name, snapshot, throughSeq);
      } finally {
        const t = of(name);
        t.compactCount++;
        t.compactMs += performance.now() - began;
        t.compactBytes += snapshot.byteLength;
      }
    },
  };
  return {
    docs,
    accounts: store.accounts,
    records: store.records,
    close: () => store.close(),
    timings: {
      reset: () => void (byDoc = new Map()),
      snapshot: () => Object.fromEntries([...byDoc].map(([name, t]) => [name, { ...t }])),
    },
  };
}
