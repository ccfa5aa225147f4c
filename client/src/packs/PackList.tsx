/**
 * The "Integration Packs" list: Search Integration Packs (by name, as you type) above a listbox of
 * the packs by name. Click, Enter or Space selects (opens) a pack; arrows, Home, End, Page Up/Down
 * and type-to-jump move the active option without opening, so the narrow layout does not jump to the
 * details view while someone is only looking.
 *
 * Virtualized (virtua's Virtualizer, ~4 kB gzipped; @tanstack/solid-virtual would cost ~12 kB of a
 * 100 kB budget): above a few hundred options only those on screen are in the DOM, plus the active
 * one wherever it is (aria-activedescendant must point at an element); every option carries its
 * place in the whole list (aria-posinset of aria-setsize). Each option shows badges — its type, its
 * pending release and date, "Needs release", an unsaved draft on this device — derived per rendered
 * option from the shared rules (packReleaseState) and indexes built once, so the list costs the same
 * for 10 packs or 10,000.
 */
import { createEffect, createMemo, createSelector, createSignal, createUniqueId, on, Show, type Accessor, type JSX } from 'solid-js';
import { Virtualizer, type VirtualizerHandle } from 'virtua/solid';
import type { PackListItem, Peer, Workspace } from '../../core/api.ts';
import type { PublishedComponent } from '../../../shared/model.ts';
import { PackOption } from './PackOption.tsx';
import { createTypeAhead, typeAheadIndex } from './type-ahead.ts';

export interface PackListProps {
  workspace: Workspace;
  selectedId: string | undefined;
  onSelect: (packId: string) => void;
}

/** Before an option is measured: a name line and a badge line. */
const ESTIMATED_OPTION_PX = 56;
/**
 * Up to this many options are all kept in the DOM: virtualizing gains nothing there, and the
 * browser's find-in-page then finds every pack. Above it only those on screen (and the active one) are.
 */
const RENDER_ALL_UP_TO = 250;
const matchCount = new Intl.PluralRules('en-US');

export function PackList(props: PackListProps) {
  const listId = `${createUniqueId()}-list`;
  // The workspace keeps the list sorted by name (api.ts).
  const packs = () => props.workspace.packs();
  /** Lower-cased names, once per change of the list: search and type-to-jump compare against them. */
  const lowerNames = createMemo(() => packs().map((pack) => pack.name.toLocaleLowerCase()));
  const [query, setQuery] = createSignal('');
  const search = () => query().trim().toLocaleLowerCase();
  const shown = createMemo<readonly PackListItem[]>(() => {
    const wanted = search();
    if (wanted === '') return packs();
    const names = lowerNames();
    return packs().filter((_, index) => names[index]!.includes(wanted));
  });
  const shownLowerNames = createMemo(() => (search() === '' ? lowerNames() : shown().map((pack) => pack.name.toLocaleLowerCase())));
  const viewersByPack = createMemo(() => {
    const byPack = new Map<string, Peer[]>();
    for (const peer of props.workspace.peers()) {
      if (peer.packId === undefined) continue;
      byPack.set(peer.packId, [...(byPack.get(peer.packId) ?? []), peer]);
    }
    return byPack;
  });
  const catalogById = createMemo(() => new Map(props.workspace.catalog().map((component) => [component.id, component])));

  // The first time the list shows packs (effects run after the DOM is updated): bench/cold-start reads this mark.
  let marked = false;
  createEffect(() => {
    if (marked || packs().length === 0) return;
    marked = true;
    performance.mark('packs-list-rendered');
  });

  const listElement = () => document.getElementById(listId);
  // From the search box, the arrows bring the focus to the list of matches.
  const onSearchKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    event.preventDefault();
    listElement()?.focus();
  };
  const matchesText = () => {
    const count = shown().length;
    if (count === 0) return `No integration packs match “${query().trim()}”.`;
    return `${count.toLocaleString('en-US')} ${matchCount.select(count) === 'one' ? 'pack matches' : 'packs match'}`;
  };

  return (
    <Show when={packs().length > 0} fallback={<p class="muted empty-list">No integration packs yet. Add one to get started.</p>}>
      <div class="pack-search">
        <input
          type="search"
          aria-label="Search Integration Packs"
          placeholder="Search by name"
          aria-controls={listId}
          autocomplete="off"
          spellcheck={false}
          value={query()}
          onInput={(event) => {
            setQuery(event.currentTarget.value);
            const scroller = listElement()?.parentElement;
            if (scroller) scroller.scrollTop = 0;
          }}
          onKeyDown={onSearchKeyDown}
        />
        <p role="status" class="pack-search-count muted">
          {search() === '' ? '' : matchesText()}
        </p>
      </div>
      <PackListbox
        workspace={props.workspace}
        id={listId}
        shown={shown}
        lowerNames={shownLowerNames}
        query={search}
        selectedId={props.selectedId}
        viewersByPack={viewersByPack}
        catalog={catalogById}
        onSelect={props.onSelect}
      />
    </Show>
  );
}

interface PackListboxProps {
  workspace: Workspace;
  id: string;
  shown: Accessor<readonly PackListItem[]>;
  lowerNames: Accessor<readonly string[]>;
  query: Accessor<string>;
  selectedId: string | undefined;
  viewersByPack: Accessor<ReadonlyMap<string, Peer[]>>;
  catalog: Accessor<ReadonlyMap<string, PublishedComponent>>;
  onSelect: (packId: string) => void;
}

/** The listbox itself: created once its element exists, so the virtualizer finds its scroll element. */
function PackListbox(props: PackListboxProps) {
  const optionId = (packId: string) => `${props.id}-${packId}`;
  const shown = () => props.shown();
  /** Pack id → its index among the shown options, built once per change of what is shown. */
  const indexOf = createMemo(() => new Map(shown().map((pack, index) => [pack.id, index])));
  const [activeId, setActiveId] = createSignal<string>();
  // A new search starts on its first match (or the selected pack, when it matches).
  createEffect(on(props.query, () => setActiveId(undefined), { defer: true }));
  /** The option the keyboard is on: the one last moved to, else the selected one, else the first shown. */
  const activeIndex = createMemo(() => {
    const index = indexOf();
    const moved = activeId() === undefined ? undefined : index.get(activeId()!);
    const selected = props.selectedId === undefined ? undefined : index.get(props.selectedId);
    return moved ?? selected ?? (shown().length > 0 ? 0 : -1);
  });
  const active = () => shown()[activeIndex()];
  const isActive = createSelector(() => active()?.id);
  const isSelected = createSelector(() => props.selectedId);

  const allIndexes = createMemo(() => (shown().length <= RENDER_ALL_UP_TO ? shown().map((_, index) => index) : undefined));
  const mounted = () => allIndexes() ?? (activeIndex() >= 0 ? [activeIndex()] : undefined);
  let scroller: VirtualizerHandle | undefined;
  const scrollTo = (index: number) => scroller?.scrollToIndex(index, { align: 'nearest' });
  // A pack selected from elsewhere (the URL, Save of a new pack) is brought into view.
  createEffect(
    on([() => props.selectedId, indexOf], ([selectedId, index]) => {
      const at = selectedId === undefined ? undefined : index.get(selectedId);
      if (at !== undefined) queueMicrotask(() => scrollTo(at));
    }),
  );

  const moveTo = (index: number) => {
    const pack = shown()[index];
    if (!pack) return;
    setActiveId(pack.id);
    scrollTo(index);
  };
  const pageSize = () => Math.max(1, Math.floor((scroller?.viewportSize ?? 0) / ESTIMATED_OPTION_PX) - 1);
  const typeAhead = createTypeAhead();

  const onKeyDown = (event: KeyboardEvent) => {
    const count = shown().length;
    if (count === 0 || event.altKey || event.ctrlKey || event.metaKey) return;
    const index = activeIndex();
    const now = performance.now();
    const last = count - 1;
    let next: number | undefined;
    if (event.key === 'ArrowDown') next = Math.min(last, index + 1);
    else if (event.key === 'ArrowUp') next = Math.max(0, index - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = last;
    else if (event.key === 'PageDown') next = Math.min(last, index + pageSize());
    else if (event.key === 'PageUp') next = Math.max(0, index - pageSize());
    else if (event.key === 'Enter' || (event.key === ' ' && !typeAhead.typing(now))) {
      const current = active();
      if (current) props.onSelect(current.id);
      event.preventDefault();
      return;
    } else if (event.key.length === 1) {
      const names = props.lowerNames();
      const found = typeAheadIndex((i) => names[i]!, count, index, typeAhead.type(event.key, now));
      event.preventDefault();
      if (found >= 0) moveTo(found);
      return;
    }
    if (next === undefined) return;
    event.preventDefault();
    typeAhead.reset();
    moveTo(next);
  };

  /** The listbox element virtua sizes and fills (it passes ref, style and the rendered options). */
  const Listbox = (own: { ref?: (element: HTMLUListElement) => void; style?: JSX.CSSProperties; children?: JSX.Element }) => (
    <ul
      ref={(element) => own.ref?.(element)}
      style={own.style}
      id={props.id}
      class="pack-list"
      role="listbox"
      aria-label="Integration Packs"
      tabindex="0"
      aria-activedescendant={active() ? optionId(active()!.id) : undefined}
      onKeyDown={onKeyDown}
    >
      {own.children}
    </ul>
  );
  /** One option, placed by virtua (ref and style) at its index among the shown packs. */
  const Option = (own: { index: number; ref?: (element: HTMLLIElement) => void; style?: JSX.CSSProperties }) => (
    <Show when={shown()[own.index]}>
      {(pack) => (
        <PackOption
          workspace={props.workspace}
          pack={pack()}
          id={optionId(pack().id)}
          index={own.index}
          setSize={shown().length}
          active={isActive(pack().id)}
          selected={isSelected(pack().id)}
          viewers={props.viewersByPack().get(pack().id) ?? []}
          catalog={props.catalog()}
          ref={own.ref}
          style={own.style}
          onClick={() => {
            setActiveId(pack().id);
            props.onSelect(pack().id);
          }}
        />
      )}
    </Show>
  );

  return (
    <div class="pack-list-scroll">
      <Virtualizer
        ref={(handle) => {
          scroller = handle;
        }}
        data={shown()}
        as={Listbox}
        item={Option}
        itemSize={ESTIMATED_OPTION_PX}
        keepMounted={mounted()}
      >
        {() => undefined}
      </Virtualizer>
    </div>
  );
}
