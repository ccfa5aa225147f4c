/**
 * What the document does not carry, fetched page by page over HTTP and kept on the device so it reads
 * offline: a pack's whole history (GET /api/accounts/:id/history) and its installations (GET
 * /api/accounts/:id/rollout). Each page lands in IndexedDB (historyPages, rolloutRows) with where the
 * next one starts (meta `page:<kind>:<packId>`), so "Show more" goes on from there, also after a reload.
 *
 * Installations change (a release moves them): when a pack's rollout counts change in the document,
 * the rows already fetched are fetched again (as many as were shown); offline they are kept and
 * marked stale until the next sync. A pack's newest Name and Description edits (not in the document:
 * there are many) are fetched again whenever its name or description changed and is stored. History records never change: new ones arrive through the
 * document's recent history, older ones through pages. When more records happened than the document
 * carries since the pages were fetched, the pages are dropped and fetched again from the newest.
 */
import { createSignal, type Accessor, type Setter } from 'solid-js';
// Each from its own module: shared/index.ts re-exports the Y.Doc schema, which would put Yjs on the boot path.
import type { HistoryPage, HistoryRecord } from '../../shared/history.ts';
import { RECENT_HISTORY_PER_PACK } from '../../shared/history.ts';
import { PACK_EDIT_KIND } from '../../shared/pack-edits.ts';
import { fail, okVoid, type Result } from '../../shared/result.ts';
import type { RolloutPage } from '../../shared/rollout.ts';
import type { PackDb } from './db.ts';

export type PagedKind = 'history' | 'rollout' | 'edits';

const WHAT_FAILED: Record<PagedKind, string> = {
  history: 'Older history',
  rollout: 'The installations',
  edits: 'The Name and Description history',
};

/** How many of a pack's newest Name and Description edits the device keeps. */
export const EDITS_KEPT = 100;

/** Where the cached pages of a pack stand. */
export interface PageState {
  /** At least one page is on the device. */
  loaded: boolean;
  /** Every page is on the device. */
  complete: boolean;
  loading: boolean;
  /** The rows on the device may be out of date (fetched before the latest change, not refreshed yet). */
  stale: boolean;
  /** Why the last fetch failed, for the person. */
  error?: string;
}

interface PageMeta {
  cursor?: string;
  complete: boolean;
  count: number;
  stale?: boolean;
}

export interface PagedCacheOptions {
  db: PackDb;
  serverUrl: string;
  accountId: string;
  token: string;
  fetch?: typeof fetch;
  pageSize?: number;
  onError?: (error: unknown) => void;
}

const metaKey = (kind: PagedKind, packId: string) => `page:${kind}:${packId}`;
const MAX_PAGE = 200;
/** Fetches one Show more may make to fill a page of History entries (bounded: a pack edited thousands of times). */
const MAX_FETCHES_PER_SHOW_MORE = 10;

export class PagedCaches {
  private readonly states = new Map<string, [Accessor<PageState>, Setter<PageState>]>();
  private readonly inflight = new Map<string, Promise<Result<void>>>();
  private readonly fetchImpl: typeof fetch;
  private readonly pageSize: number;
  private closed = false;

  constructor(private readonly options: PagedCacheOptions) {
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.pageSize = options.pageSize ?? 50;
  }

  /** Where a pack's cached pages stand (read from the device the first time it is asked). */
  state(kind: PagedKind, packId: string): Accessor<PageState> {
    const key = metaKey(kind, packId);
    let entry = this.states.get(key);
    if (!entry) {
      entry = createSignal<PageState>({ loaded: false, complete: false, loading: false, stale: false });
      this.states.set(key, entry);
      const set = entry[1];
      void this.meta(kind, packId)
        .then(
          (meta) =>
            meta && set((state) => ({ ...state, loaded: meta.count > 0 || meta.complete, complete: meta.complete, stale: !!meta.stale })),
        )
        .catch((error: unknown) => this.options.onError?.(error));
    }
    return entry[0];
  }

  private update(kind: PagedKind, packId: string, patch: Partial<PageState>): void {
    this.state(kind, packId);
    this.states.get(metaKey(kind, packId))![1]((state) => ({ ...state, ...patch }));
  }

  private async meta(kind: PagedKind, packId: string): Promise<PageMeta | undefined> {
    return (await this.options.db.meta.get(metaKey(kind, packId)))?.value as PageMeta | undefined;
  }

  private async get<T>(path: string, query: Record<string, string | undefined>): Promise<T> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) if (value !== undefined) params.set(name, value);
    const url = `${this.options.serverUrl}/api/accounts/${encodeURIComponent(this.options.accountId)}/${path}?${params}`;
    const response = await this.fetchImpl(url, { headers: { Authorization: `Bearer ${this.options.token}` } });
    const body = (await response.json().catch(() => undefined)) as { error?: { message?: string } } | undefined;
    if (!response.ok) throw new Error(body?.error?.message ?? `The server answered ${response.status}.`);
    return body as T;
  }

  /** One at a time per pack and kind; a second call while one runs shares it. */
  private once(kind: PagedKind, packId: string, work: () => Promise<void>): Promise<Result<void>> {
    const key = metaKey(kind, packId);
    const running = this.inflight.get(key);
    if (running) return running;
    this.update(kind, packId, { loading: true });
    const result = work().then(
      () => {
        this.update(kind, packId, { loading: false, error: undefined });
        return okVoid;
      },
      (error: unknown) => {
        const message = `${WHAT_FAILED[kind]} could not be loaded: ${error instanceof Error ? error.message : String(error)}`;
        this.update(kind, packId, { loading: false, error: message });
        return fail('PAGE_NOT_LOADED', message);
      },
    );
    this.inflight.set(key, result);
    void result.finally(() => this.inflight.delete(key));
    return result;
  }

  /** The next (older) page of a pack's history. */
  loadMoreHistory(packId: string): Promise<Result<void>> {
    return this.once('history', packId, async () => {
      const { db } = this.options;
      let meta = await this.meta('history', packId);
      if (meta && (await this.historyHasGap(packId))) {
        await db.transaction('rw', db.historyPages, db.meta, async () => {
          await db.historyPages.where('packId').equals(packId).delete();
          await db.meta.delete(metaKey('history', packId));
        });
        meta = undefined;
      }
      if (meta?.complete) return;
      // The panel leaves Name and Description edits out (they have their own list), so a page that is
      // mostly edits would add little or nothing: fetch on until a page's worth of entries, or the end.
      const records: HistoryRecord[] = [];
      let cursor = meta?.cursor;
      let entries = 0;
      for (let fetches = 0; fetches < MAX_FETCHES_PER_SHOW_MORE; fetches++) {
        const page: HistoryPage = await this.get<HistoryPage>('history', { packId, limit: String(this.pageSize), cursor });
        if (this.closed) return;
        records.push(...page.records);
        entries += page.records.filter((record) => record.kind !== PACK_EDIT_KIND).length;
        cursor = page.nextCursor;
        if (cursor === undefined || entries >= this.pageSize) break;
      }
      const next: PageMeta = {
        complete: cursor === undefined,
        count: (meta?.count ?? 0) + records.length,
        ...(cursor ? { cursor } : {}),
      };
      await db.transaction('rw', db.historyPages, db.meta, async () => {
        await db.historyPages.bulkPut(records);
        await db.meta.put({ key: metaKey('history', packId), value: next });
      });
      this.update('history', packId, { loaded: true, complete: next.complete });
    });
  }

  private async historyHasGap(packId: string): Promise<boolean> {
    const { db } = this.options;
    const [recent, pages] = await Promise.all([
      db.history.where('packId').equals(packId).toArray(),
      db.historyPages.where('packId').equals(packId).toArray(),
    ]);
    return historyGap(recent, pages);
  }

  /**
   * Fetches a pack's newest Name and Description edits again (they are not in the document: called
   * when the pack's name or description changed and is stored) and keeps them in place of the old ones.
   */
  refreshEdits(packId: string): Promise<Result<void>> {
    return this.once('edits', packId, async () => {
      const { db } = this.options;
      const page = await this.get<HistoryPage>('history', { packId, kind: PACK_EDIT_KIND, limit: String(EDITS_KEPT) });
      if (this.closed) return;
      const next: PageMeta = { complete: page.nextCursor === undefined, count: page.records.length };
      await db.transaction('rw', db.packEdits, db.meta, async () => {
        await db.packEdits.where('packId').equals(packId).delete();
        await db.packEdits.bulkPut(page.records);
        await db.meta.put({ key: metaKey('edits', packId), value: next });
      });
      this.update('edits', packId, { loaded: true, complete: next.complete });
    });
  }

  /** The next page of a pack's installations. */
  loadMoreRollout(packId: string): Promise<Result<void>> {
    return this.once('rollout', packId, async () => {
      const meta = await this.meta('rollout', packId);
      if (meta?.complete && !meta.stale) return;
      if (meta?.stale) return this.fetchRollout(packId, Math.max(meta.count, this.pageSize));
      await this.fetchRollout(packId, this.pageSize, meta);
    });
  }

  /** Fetches `count` rows (from the start, or after `from`), replacing what is cached when from the start. */
  private async fetchRollout(packId: string, count: number, from?: PageMeta): Promise<void> {
    const { db } = this.options;
    const rows: (RolloutPage['rows'][number] & { packId: string })[] = [];
    let cursor = from?.cursor;
    let complete = false;
    while (rows.length < count && !this.closed) {
      const page = await this.get<RolloutPage>('rollout', { packId, limit: String(Math.min(MAX_PAGE, count - rows.length)), cursor });
      for (const row of page.rows) rows.push({ ...row, packId });
      cursor = page.nextCursor;
      if (!cursor) {
        complete = true;
        break;
      }
    }
    if (this.closed) return;
    const next: PageMeta = { complete, count: (from?.count ?? 0) + rows.length, ...(cursor ? { cursor } : {}) };
    await db.transaction('rw', db.rolloutRows, db.meta, async () => {
      if (!from) await db.rolloutRows.where('packId').equals(packId).delete();
      await db.rolloutRows.bulkPut(rows);
      await db.meta.put({ key: metaKey('rollout', packId), value: next });
    });
    this.update('rollout', packId, { loaded: true, complete, stale: false });
  }

  /** The document says the pack's installations changed: fetch again what the device has of them. */
  async rolloutChanged(packIds: Iterable<string>): Promise<void> {
    for (const packId of packIds) {
      const meta = await this.meta('rollout', packId);
      if (!meta) continue;
      await this.options.db.meta.put({ key: metaKey('rollout', packId), value: { ...meta, stale: true } });
      this.update('rollout', packId, { stale: true });
      const refreshed = await this.once('rollout', packId, () => this.fetchRollout(packId, Math.max(meta.count, this.pageSize)));
      if (!refreshed.ok) this.update('rollout', packId, { error: undefined });
    }
  }

  /** Back online: refresh what went stale while away. */
  async refreshStale(): Promise<void> {
    const rows = await this.options.db.meta.where('key').startsWith('page:rollout:').toArray();
    const stale = rows.filter((row) => (row.value as PageMeta).stale).map((row) => row.key.slice('page:rollout:'.length));
    if (stale.length > 0) await this.rolloutChanged(stale);
  }

  close(): void {
    this.closed = true;
  }
}

/**
 * Whether records may have happened between the newest cached page and the oldest record the document
 * carries: the document's recent history is full, and all of it is newer than every cached page.
 */
export function historyGap(recent: readonly HistoryRecord[], pages: readonly HistoryRecord[]): boolean {
  if (pages.length === 0 || recent.length < RECENT_HISTORY_PER_PACK) return false;
  const newestPage = Math.max(...pages.map((record) => record.seq));
  return Math.min(...recent.map((record) => record.seq)) > newestPage;
}

/** The history to show for a pack: the document's recent records and the cached older pages (unless a gap parts them), by seq. */
export function mergeHistory(recent: readonly HistoryRecord[], pages: readonly HistoryRecord[]): HistoryRecord[] {
  if (historyGap(recent, pages)) return [...recent].sort((a, b) => a.seq - b.seq);
  const byId = new Map<string, HistoryRecord>();
  for (const record of pages) byId.set(record.id, record);
  for (const record of recent) byId.set(record.id, record);
  return [...byId.values()].sort((a, b) => a.seq - b.seq);
}
