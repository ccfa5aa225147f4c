/**
 * A Store that times its document writes, to say where a slow server-side operation spends its time
 * (commits and compactions against everything else). Pass-through otherwise.
 */
import { performance } from 'node:perf_hooks';
import type { Store } from '../../sync-server/storage/types.ts';

export interface StorageTimings {
  appendCount: number;
  appendMs: number;
  appendBytes: number;
  compactCount: number;
  compactMs: number;
  compactBytes: number;
}

export function timedStore(store: Store): Store & { timings: { reset(): void; snapshot(): StorageTimings } } {
  let t: StorageTimings;
  const reset = () => void (t = { appendCount: 0, appendMs: 0, appendBytes: 0, compactCount: 0, compactMs: 0, compactBytes: 0 });
  reset();
  const docs: Store['docs'] = {
    load: (name) => store.docs.load(name),
    sizes: (name) => store.docs.sizes(name),
    async append(name, updates, options) {
      const began = performance.now();
      try {
        return await store.docs.append(name, updates, options);
      } finally {
        t.appendCount++;
        t.appendMs += performance.now() - began;
        t.appendBytes += updates.reduce((sum, u) => sum + u.byteLength, 0);
      }
    },
    async compact(name, snapshot, throughSeq) {
      const began = performance.now();
      try {
        return await store.docs.compact(name, snapshot, throughSeq);
      } finally {
        t.compactCount++;
        t.compactMs += performance.now() - began;
        t.compactBytes += snapshot.byteLength;
      }
    },
  };
  return { docs, accounts: store.accounts, close: () => store.close(), timings: { reset, snapshot: () => ({ ...t }) } };
}
