/**
 * Dexie live queries as Solid signals, fine-grained:
 * - each accessor is one `liveQuery`; Dexie re-runs it only when a write touches the keys or index
 *   ranges it read, so `pack(id)` wakes up for that pack only;
 * - a signal notifies only when the new value differs structurally (`sameJson`), so rewriting a row
 *   with the same content re-renders nothing;
 * - list items keep their object identity while unchanged (`reuseById`), so `<For>` keeps the DOM of
 *   every row but the one that changed;
 * - per-id accessors are cached and shared: every `pack(id)` call for one id returns the same
 *   accessor; the query is dropped a while after the last owner that asked for it is disposed.
 */
import { liveQuery } from 'dexie';
import { createSignal, getOwner, onCleanup, type Accessor } from 'solid-js';

/** Structural equality for plain data (what IndexedDB stores). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const other = b as unknown[];
    return a.length === other.length && a.every((item, index) => sameJson(item, other[index]));
  }
  const keysA = Object.keys(a).filter((key) => (a as Record<string, unknown>)[key] !== undefined);
  const keysB = Object.keys(b).filter((key) => (b as Record<string, unknown>)[key] !== undefined);
  return (
    keysA.length === keysB.length &&
    keysA.every((key) => sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]))
  );
}

/** `next`, with every item that equals its predecessor of the same id replaced by that predecessor. */
export function reuseById<T extends { id: string }>(previous: readonly T[], next: readonly T[]): T[] {
  const byId = new Map(previous.map((item) => [item.id, item]));
  return next.map((item) => {
    const before = byId.get(item.id);
    return before !== undefined && sameJson(before, item) ? before : item;
  });
}

/** Same items (by identity) in the same order. */
export const sameItems = <T>(a: readonly T[], b: readonly T[]) => a.length === b.length && a.every((item, index) => item === b[index]);

export interface LiveSignal<T> {
  get: Accessor<T>;
  /** Resolves after the first result (or error) arrived. */
  ready: Promise<void>;
  dispose(): void;
}

export function liveSignal<T>(
  query: () => Promise<T>,
  initial: T,
  options: {
    equals?: (a: T, b: T) => boolean;
    onError?: (error: unknown) => void;
    /** Run the query only once this settles (a read that must not queue ahead of the page's first one). */
    after?: Promise<unknown>;
  } = {},
): LiveSignal<T> {
  const [get, set] = createSignal<T>(initial, { equals: options.equals ?? sameJson });
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  let subscription: { unsubscribe(): void } | undefined;
  let disposed = false;
  const subscribe = () => {
    if (disposed) return markReady();
    subscription = liveQuery(query).subscribe({
      next: (value) => {
        set(() => value);
        markReady();
      },
      error: (error) => {
        options.onError?.(error);
        markReady();
      },
    });
  };
  if (options.after) void options.after.then(subscribe, subscribe);
  else subscribe();
  return {
    get,
    ready,
    dispose: () => {
      disposed = true;
      subscription?.unsubscribe();
      // A disposed query never answers: whoever waits for its first answer (the live half's start) goes on.
      markReady();
    },
  };
}

interface CacheEntry<T> {
  signal: LiveSignal<T>;
  owners: number;
  /** Acquired outside any reactive owner: kept until the cache closes. */
  pinned: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** Shared per-key live signals with reference counting by Solid owner. */
export class LiveCache<T> {
  private readonly entries = new Map<string, CacheEntry<T>>();
  private closed = false;

  constructor(
    private readonly create: (key: string) => LiveSignal<T>,
    private readonly graceMs = 30_000,
  ) {}

  get(key: string): Accessor<T> {
    let entry = this.entries.get(key);
    if (!entry) {
      entry = { signal: this.create(key), owners: 0, pinned: false, timer: undefined };
      this.entries.set(key, entry);
    }
    const held = entry;
    if (held.timer) clearTimeout(held.timer);
    held.timer = undefined;
    if (getOwner() && !this.closed) {
      held.owners++;
      onCleanup(() => this.releaseOwner(key, held));
    } else held.pinned = true;
    return held.signal.get;
  }

  private releaseOwner(key: string, entry: CacheEntry<T>): void {
    entry.owners--;
    if (entry.owners > 0 || entry.pinned || this.closed) return;
    entry.timer = setTimeout(() => {
      if (entry.owners > 0 || this.entries.get(key) !== entry) return;
      entry.signal.dispose();
      this.entries.delete(key);
    }, this.graceMs);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Settles once every signal held now has had its first answer. */
  firstAnswers(): Promise<void>[] {
    return [...this.entries.values()].map((entry) => entry.signal.ready);
  }

  close(): void {
    this.closed = true;
    for (const entry of this.entries.values()) {
      if (entry.timer) clearTimeout(entry.timer);
      entry.signal.dispose();
    }
    this.entries.clear();
  }
}
