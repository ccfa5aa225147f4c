/**
 * The Workspace's read side: Solid accessors over the Dexie tables (see reactive.ts for how they
 * stay fine-grained). It needs no Yjs document: the tables are the document's projection, so the
 * page shows from them before the log is replayed. The list and the catalog start from their boot
 * copies (one value each, boot-copy.ts) when those are of the tables' current rows, and read the
 * tables otherwise. Per-pack accessors start from the rows the list already read (and the releases
 * index and catalog once loaded), so a pack shows at once when it is selected, and its live query
 * takes over within milliseconds.
 */
import type { Table } from 'dexie';
import { untrack, type Accessor } from 'solid-js';
import type { HistoryRecord } from '../../shared/history.ts';
import { isPackEdit, PACK_EDIT_KIND, type PackEditRecord } from '../../shared/pack-edits.ts';
import type { IntegrationPack, ManagedAccount, PublishedComponent, PublisherAccount, Release } from '../../shared/model.ts';
import { derivePublications, type PublicationRow } from '../../shared/publications.ts';
import { currentRelease } from '../../shared/releases.ts';
import type { RolloutRow, RolloutSummary } from '../../shared/rollout.ts';
import type { PackListItem } from './api.ts';
import type { OutboxRow, PackDb, PackRow } from './db.ts';
import { ComponentFilterIndex } from './filter.ts';
import { CATALOG_COPY, type CopySpec, knownStamp, makeCopy, nextStamp, PACKS_COPY, rowsOfCopy } from './boot-copy.ts';
import { mergeHistory } from './pages.ts';
import { LiveCache, liveSignal, reuseById, sameItems, type LiveSignal } from './reactive.ts';

/**
 * How long after a table's rows were read its boot copy is written: after the list's frame, and soon,
 * for a page may close a moment after it started (bench/cold-start's cold starts close each page
 * ~100 ms after the list shows; with 500 ms no copy was ever kept there, and every start read the
 * table). Rows read more often than this are written once.
 */
const COPY_DELAY_MS = 50;

const binary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const byName = (a: { name: string; id: string }, b: { name: string; id: string }) =>
  a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

/** The catalog in its index's order (nameKey is the lower-cased name, then the id). */
const byNameKey = (a: PublishedComponent, b: PublishedComponent) =>
  binary(a.name.toLowerCase(), b.name.toLowerCase()) || binary(a.id, b.id);

/**
 * The live query of a whole table that starts from its boot copy (boot-copy.ts): the first run takes
 * the copy when it is of the table's current stamp; a later run reads the table when the stamp has
 * moved, and answers the same rows (the same array) when it has not (a run woken by another write
 * it read: the copy's own). One transaction, so the stamp read says which rows were read. Rows read
 * from the table go to `keep`, to become the next copy.
 */
function copiedTable<T>(
  db: PackDb,
  table: Table,
  spec: CopySpec<T>,
  readTable: () => Promise<T[]>,
  order: (a: T, b: T) => number,
  keep: (stamp: number | undefined, rows: readonly T[]) => void,
): () => Promise<T[]> {
  let current: { stamp: number | undefined; rows: T[] } | undefined;
  let first = true;
  return async () => {
    const fromCopy = first;
    first = false;
    const read = await db.transaction('r', table, db.meta, async () => {
      const [stampRow, copyRow] = await Promise.all([db.meta.get(spec.stampKey), fromCopy ? db.meta.get(spec.copyKey) : undefined]);
      const stamp = knownStamp(stampRow?.value);
      if (current && stamp !== undefined && stamp === current.stamp) return undefined;
      const copied = fromCopy ? rowsOfCopy(spec, copyRow?.value, stamp) : undefined;
      return { stamp, rows: copied ?? (await readTable()), copied: copied !== undefined };
    });
    if (!read) return current!.rows;
    const rows = read.rows.sort(order);
    current = { stamp: read.stamp, rows };
    if (!read.copied) keep(read.stamp, rows);
    return rows;
  };
}

const packFromRow = (row: PackRow | undefined): IntegrationPack | undefined => {
  if (!row) return undefined;
  const { nameKey: _nameKey, ...pack } = row;
  return pack;
};

/** First values read from the live document (set by live.ts; the tables catch up within milliseconds). */
export interface DocumentReads {
  pack(packId: string): IntegrationPack | undefined;
  releases(packId: string): Release[];
  publications(packId: string): PublicationRow[];
}

export class WorkspaceReads {
  private readonly signals: LiveSignal<unknown>[] = [];
  private readonly caches: LiveCache<unknown>[] = [];
  readonly packs: Accessor<PackListItem[]>;
  readonly account: Accessor<PublisherAccount | undefined>;
  readonly catalog: Accessor<PublishedComponent[]>;
  readonly managedAccounts: Accessor<ManagedAccount[]>;
  readonly outbox: Accessor<OutboxRow[]>;
  readonly ready: Promise<void>;
  private readonly packCache: LiveCache<IntegrationPack | undefined>;
  private readonly publicationCache: LiveCache<PublicationRow[]>;
  private readonly releaseCache: LiveCache<Release[]>;
  private readonly rolloutCache: LiveCache<RolloutSummary | undefined>;
  private readonly rolloutRowCache: LiveCache<RolloutRow[]>;
  private readonly historyCache: LiveCache<HistoryRecord[]>;
  private readonly editsCache: LiveCache<PackEditRecord[]>;
  private filterIndex: { catalog: readonly PublishedComponent[]; index: ComponentFilterIndex } | undefined;
  private releaseIndexSignal: LiveSignal<ReadonlyMap<string, Release[]>> | undefined;
  private releaseIndexLoaded = false;
  private closed = false;
  private catalogById: { catalog: readonly PublishedComponent[]; byId: ReadonlyMap<string, PublishedComponent> } | undefined;

  /** Once the workspace is live: the document, which is ahead of the tables by one device write. */
  private document: DocumentReads | undefined;
  /** The packs the list read last, by id: the first value of a pack's own accessor. */
  private rowsById = new Map<string, IntegrationPack>();
  /** Boot copies waiting to be written (boot-copy.ts), by copy key, and the writes begun, one after another. */
  private readonly copies = new Map<string, { timer: ReturnType<typeof setTimeout>; write: () => Promise<void> }>();
  private copyWrites: Promise<void> = Promise.resolve();

  constructor(
    private readonly db: PackDb,
    private readonly onError: (error: unknown) => void,
  ) {
    const packRows = copiedTable(
      db,
      db.packs,
      PACKS_COPY,
      async () => (await db.packs.orderBy('nameKey').toArray()).map((row) => packFromRow(row)!),
      byName,
      (stamp, rows) => this.keepCopy(PACKS_COPY, stamp, rows),
    );
    let listed: IntegrationPack[] | undefined;
    let listItems: PackListItem[] = [];
    const packs = this.track(
      liveSignal(
        async () => {
          const rows = await packRows();
          if (rows === listed) return listItems;
          listed = rows;
          this.rowsById = new Map(rows.map((pack) => [pack.id, pack]));
          const next = rows.map(({ id, name, installationType, componentIds }) => ({ id, name, installationType, componentIds }));
          return (listItems = reuseById(listItems, next));
        },
        [] as PackListItem[],
        { equals: sameItems, onError },
      ),
    );
    this.packs = packs.get;
    // The list's badges and a selected pack's first values read the releases index: load it once the list is in.
    void packs.ready.then(() => {
      if (!this.closed) this.releaseIndex();
    });
    const account = this.track(
      liveSignal(async () => (await db.account.get('settings'))?.value, undefined as PublisherAccount | undefined, { onError }),
    );
    this.account = account.get;
    // After the list's own read: IndexedDB answers in the order asked, and the catalog (5,000 rows in
    // bench/cold-start) asked alongside held the list back by its whole read. Nothing here is needed
    // for the list's first frame (its badges already showed before these came).
    const afterList = packs.ready;
    const catalogRows = copiedTable(
      db,
      db.components,
      CATALOG_COPY,
      async () => (await db.components.orderBy('nameKey').toArray()).map(({ nameKey: _nameKey, ...component }) => component),
      byNameKey,
      (stamp, rows) => this.keepCopy(CATALOG_COPY, stamp, rows),
    );
    const catalog = this.track(
      liveSignal(catalogRows, [] as PublishedComponent[], { equals: (a, b) => a === b, onError, after: afterList }),
    );
    this.catalog = catalog.get;
    this.managedAccounts = this.track(
      liveSignal(async () => (await db.managedAccounts.toArray()).sort((a, b) => a.name.localeCompare(b.name)), [] as ManagedAccount[], {
        onError,
        after: afterList,
      }),
    ).get;
    this.outbox = this.track(
      liveSignal(() => db.outbox.orderBy('createdAt').toArray(), [] as OutboxRow[], { onError, after: afterList }),
    ).get;
    this.ready = Promise.all([packs.ready, account.ready]).then(() => {});

    this.packCache = this.cache((id) =>
      liveSignal(async () => packFromRow(await db.packs.get(id)), this.document ? this.document.pack(id) : this.rowsById.get(id), {
        onError,
      }),
    );
    this.publicationCache = this.cache((id) =>
      liveSignal(() => this.queryPublications(id), this.document ? this.document.publications(id) : this.publicationsFromMemory(id), {
        onError,
      }),
    );
    this.releaseCache = this.cache((id) =>
      liveSignal(
        async () => (await db.releases.where('packId').equals(id).toArray()).sort((a, b) => a.number - b.number),
        this.document ? this.document.releases(id) : [...(this.loadedReleaseIndex()?.get(id) ?? [])].sort((a, b) => a.number - b.number),
        { onError },
      ),
    );
    this.rolloutCache = this.cache((id) => liveSignal(async () => (await db.rollout.get(id)) ?? undefined, undefined, { onError }));
    this.rolloutRowCache = this.cache((id) =>
      liveSignal(
        async () =>
          (await db.rolloutRows.where('packId').equals(id).toArray())
            .map(({ packId: _packId, ...row }) => row)
            .sort((a, b) => binary(a.managedAccountId, b.managedAccountId) || binary(a.instanceId, b.instanceId)),
        [] as RolloutRow[],
        { onError },
      ),
    );
    this.historyCache = this.cache((id) =>
      liveSignal(
        async () => {
          const [recent, pages] = await Promise.all([
            db.history.where('packId').equals(id).toArray(),
            db.historyPages.where('packId').equals(id).toArray(),
          ]);
          // Edits have a list of their own (packEdits): pages fetched without a kind carry them too.
          return mergeHistory(
            recent,
            pages.filter((record) => record.kind !== PACK_EDIT_KIND),
          );
        },
        [] as HistoryRecord[],
        { onError },
      ),
    );
    this.editsCache = this.cache((id) =>
      liveSignal(
        async () => (await db.packEdits.where('packId').equals(id).toArray()).filter(isPackEdit).sort((a, b) => b.seq - a.seq),
        [] as PackEditRecord[],
        { onError },
      ),
    );
  }

  /**
   * Keeps a boot copy of these rows (read at `stamp`) a moment after they were read (COPY_DELAY_MS;
   * rows read again meanwhile replace them). It is written only while the stamp is still the one
   * they were read at; a table with no stamp yet gets its first one with the copy (nothing wrote the
   * table since it was read: every write sets the stamp).
   */
  private keepCopy<T>(spec: CopySpec<T>, stamp: number | undefined, rows: readonly T[]): void {
    if (this.closed) return;
    const { db } = this;
    const write = () =>
      db.transaction('rw', db.meta, async () => {
        if (knownStamp((await db.meta.get(spec.stampKey))?.value) !== stamp) return;
        const kept = stamp ?? nextStamp(undefined);
        if (stamp === undefined) await db.meta.put({ key: spec.stampKey, value: kept });
        await db.meta.put({ key: spec.copyKey, value: makeCopy(spec, kept, rows) });
      });
    const waiting = this.copies.get(spec.copyKey);
    if (waiting) clearTimeout(waiting.timer);
    this.copies.set(spec.copyKey, { write, timer: setTimeout(() => void this.writeCopy(spec.copyKey), COPY_DELAY_MS) });
  }

  private writeCopy(copyKey: string): Promise<void> {
    const waiting = this.copies.get(copyKey);
    if (waiting) {
      clearTimeout(waiting.timer);
      this.copies.delete(copyKey);
      this.copyWrites = this.copyWrites.then(waiting.write).catch(this.onError);
    }
    return this.copyWrites;
  }

  /** Writes the boot copies waiting now (before the database closes: the next start then reads them). */
  async flush(): Promise<void> {
    for (const copyKey of [...this.copies.keys()]) void this.writeCopy(copyKey);
    await this.copyWrites;
  }

  private track<T>(signal: LiveSignal<T>): LiveSignal<T> {
    this.signals.push(signal as LiveSignal<unknown>);
    return signal;
  }

  private cache<T>(create: (key: string) => LiveSignal<T>): LiveCache<T> {
    const cache = new LiveCache<T>(create);
    this.caches.push(cache as LiveCache<unknown>);
    return cache;
  }

  /** Publications of one pack: the pack row, its releases and only the components they name. */
  private async queryPublications(packId: string): Promise<PublicationRow[]> {
    const [pack, releases] = await Promise.all([this.db.packs.get(packId), this.db.releases.where('packId').equals(packId).toArray()]);
    if (!pack) return [];
    const current = currentRelease(releases);
    const ids = [...new Set([...pack.componentIds, ...(current?.components.map((c) => c.componentId) ?? [])])];
    const components = await this.db.components.bulkGet(ids);
    const catalog = new Map<string, PublishedComponent>();
    for (const component of components) if (component) catalog.set(component.id, component);
    return derivePublications({ componentIds: pack.componentIds, currentRelease: current, catalog });
  }

  /** From now on a per-pack accessor's first value comes from the document. */
  useDocument(document: DocumentReads): void {
    this.document = document;
  }

  /** The releases index when it has loaded (its first value is empty, not "no releases"). */
  private loadedReleaseIndex(): ReadonlyMap<string, Release[]> | undefined {
    return this.releaseIndexLoaded ? untrack(() => this.releaseIndexSignal?.get()) : undefined;
  }

  /** From what is in memory already (the list's rows, the releases index, the catalog); [] while one is missing. */
  private publicationsFromMemory(packId: string): PublicationRow[] {
    const pack = this.rowsById.get(packId);
    const releases = this.loadedReleaseIndex();
    const catalog = untrack(this.catalog);
    if (!pack || !releases || (catalog.length === 0 && pack.componentIds.length > 0)) return [];
    if (this.catalogById?.catalog !== catalog)
      this.catalogById = { catalog, byId: new Map(catalog.map((component) => [component.id, component])) };
    const current = currentRelease(releases.get(packId) ?? []);
    return derivePublications({ componentIds: pack.componentIds, currentRelease: current, catalog: this.catalogById.byId });
  }

  /**
   * Every pack's releases, by pack id (for the list's badges): one query of the releases table, grouped
   * once per change of it. Started by its first reader, so it never delays the list's first rows.
   */
  releaseIndex = (): ReadonlyMap<string, Release[]> => {
    this.releaseIndexSignal ??= this.track(
      liveSignal(
        async () => {
          const byPack = new Map<string, Release[]>();
          for (const release of await this.db.releases.toArray()) {
            const list = byPack.get(release.packId);
            if (list) list.push(release);
            else byPack.set(release.packId, [release]);
          }
          return byPack as ReadonlyMap<string, Release[]>;
        },
        new Map(),
        { equals: () => false, onError: this.onError },
      ),
    );
    void this.releaseIndexSignal.ready.then(() => {
      this.releaseIndexLoaded = true;
    });
    return this.releaseIndexSignal.get();
  };

  /**
   * Resolves once every read asked for so far has had its first answer, including those asked
   * meanwhile (a pack selected while the first ones ran). Bounded: a page that keeps asking is not
   * waited for beyond a few rounds.
   */
  async firstAnswers(): Promise<void> {
    let asked = -1;
    for (let round = 0; round < 10; round++) {
      const pending = [...this.signals.map((signal) => signal.ready), ...this.caches.flatMap((cache) => cache.firstAnswers())];
      if (pending.length === asked) return;
      asked = pending.length;
      await Promise.all(pending);
    }
  }

  pack = (packId: string) => this.packCache.get(packId);
  publications = (packId: string) => this.publicationCache.get(packId);
  releases = (packId: string) => this.releaseCache.get(packId);
  rollout = (packId: string) => this.rolloutCache.get(packId);
  rolloutRows = (packId: string) => this.rolloutRowCache.get(packId);
  history = (packId: string) => this.historyCache.get(packId);
  /** The pack's Name and Description edits kept on the device, newest first. */
  packEdits = (packId: string) => this.editsCache.get(packId);

  /** Reads `catalog()` (so a calling memo re-runs when the catalog changes); the index is rebuilt once per change. */
  filterComponents = (filter: string): PublishedComponent[] => {
    const catalog = this.catalog();
    if (this.filterIndex?.catalog !== catalog) this.filterIndex = { catalog, index: new ComponentFilterIndex(catalog) };
    return this.filterIndex.index.filter(filter);
  };

  close(): void {
    this.closed = true;
    for (const { timer } of this.copies.values()) clearTimeout(timer);
    this.copies.clear();
    for (const signal of this.signals) signal.dispose();
    for (const cache of this.caches) cache.close();
  }
}
