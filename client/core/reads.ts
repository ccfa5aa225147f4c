/**
 * The Workspace's read side: Solid accessors over the Dexie tables (see reactive.ts for how they
 * stay fine-grained). It needs no Yjs document: the tables are the document's projection, so the
 * page shows from them before the log is replayed. Per-pack accessors start from the rows the list
 * already read (and the releases index and catalog once loaded), so a pack shows at once when it is
 * selected, and its live query takes over within milliseconds.
 */
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
import { mergeHistory } from './pages.ts';
import { LiveCache, liveSignal, reuseById, sameItems, type LiveSignal } from './reactive.ts';

const binary = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const byName = (a: { name: string; id: string }, b: { name: string; id: string }) =>
  a.name.localeCompare(b.name) || a.id.localeCompare(b.id);

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
  /** The pack rows the list read last, by id: the first value of a pack's own accessor. */
  private rowsById = new Map<string, PackRow>();

  constructor(
    private readonly db: PackDb,
    private readonly onError: (error: unknown) => void,
  ) {
    let listItems: PackListItem[] = [];
    const packs = this.track(
      liveSignal(
        async () => {
          const rows = await db.packs.orderBy('nameKey').toArray();
          this.rowsById = new Map(rows.map((row) => [row.id, row]));
          const next = rows
            .map(({ id, name, installationType, componentIds }) => ({ id, name, installationType, componentIds }))
            .sort(byName);
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
    const catalog = this.track(
      liveSignal(() => db.components.orderBy('nameKey').toArray() as Promise<PublishedComponent[]>, [] as PublishedComponent[], {
        equals: (a, b) => a === b,
        onError,
      }),
    );
    this.catalog = catalog.get;
    this.managedAccounts = this.track(
      liveSignal(async () => (await db.managedAccounts.toArray()).sort((a, b) => a.name.localeCompare(b.name)), [] as ManagedAccount[], {
        onError,
      }),
    ).get;
    this.outbox = this.track(liveSignal(() => db.outbox.orderBy('createdAt').toArray(), [] as OutboxRow[], { onError })).get;
    this.ready = Promise.all([packs.ready, account.ready]).then(() => {});

    this.packCache = this.cache((id) =>
      liveSignal(
        async () => packFromRow(await db.packs.get(id)),
        this.document ? this.document.pack(id) : packFromRow(this.rowsById.get(id)),
        {
          onError,
        },
      ),
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
    for (const signal of this.signals) signal.dispose();
    for (const cache of this.caches) cache.close();
  }
}
