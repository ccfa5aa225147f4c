/**
 * The "Integration Packs" list: a listbox of packs by name. Click, Enter or Space selects (opens) a
 * pack; arrows, Home and End move the focus without opening, so the narrow layout does not jump to
 * the details view while someone is only looking. Others viewing a pack show beside it.
 */
import { createEffect, createMemo, createSelector, createSignal, createUniqueId, For, Show } from 'solid-js';
import type { Peer } from '../../core/api.ts';
import type { PackListItem, Workspace } from '../../core/api.ts';
import { Avatar } from '../layout/Avatar.tsx';

export interface PackListProps {
  workspace: Workspace;
  selectedId: string | undefined;
  onSelect: (packId: string) => void;
}

export function PackList(props: PackListProps) {
  const baseId = createUniqueId();
  const optionId = (packId: string) => `${baseId}-${packId}`;
  // The workspace keeps the list sorted by name (api.ts); sorting again on every change cost O(n log n).
  const sorted = () => props.workspace.packs();
  const [activeId, setActiveId] = createSignal<string>();
  /** The option the keyboard is on: the one last moved to, else the selected one, else the first. */
  // Memos and selectors keep each option's checks O(1): with 10,000 packs a scan per option was O(n²).
  const active = createMemo(() => {
    const packs = sorted();
    const wanted = activeId() ?? props.selectedId;
    return packs.find((pack) => pack.id === wanted) ?? packs[0];
  });
  const isActive = createSelector(() => active()?.id);
  const isSelected = createSelector(() => props.selectedId);
  const viewersByPack = createMemo(() => {
    const byPack = new Map<string, Peer[]>();
    for (const peer of props.workspace.peers()) {
      if (peer.packId === undefined) continue;
      byPack.set(peer.packId, [...(byPack.get(peer.packId) ?? []), peer]);
    }
    return byPack;
  });
  const viewers = (packId: string) => viewersByPack().get(packId) ?? [];
  // The first time the list shows packs (effects run after the DOM is updated): bench/cold-start reads this mark.
  let marked = false;
  createEffect(() => {
    if (marked || sorted().length === 0) return;
    marked = true;
    performance.mark('packs-list-rendered');
  });

  const move = (event: KeyboardEvent) => {
    const packs = sorted();
    if (packs.length === 0) return;
    const index = Math.max(
      0,
      packs.findIndex((pack) => pack.id === active()?.id),
    );
    let next: PackListItem | undefined;
    if (event.key === 'ArrowDown') next = packs[Math.min(packs.length - 1, index + 1)];
    else if (event.key === 'ArrowUp') next = packs[Math.max(0, index - 1)];
    else if (event.key === 'Home') next = packs[0];
    else if (event.key === 'End') next = packs[packs.length - 1];
    else if (event.key === 'Enter' || event.key === ' ') {
      const current = active();
      if (current) props.onSelect(current.id);
      event.preventDefault();
      return;
    }
    if (!next) return;
    event.preventDefault();
    setActiveId(next.id);
    document.getElementById(optionId(next.id))?.scrollIntoView({ block: 'nearest' });
  };

  return (
    <Show when={sorted().length > 0} fallback={<p class="muted empty-list">No integration packs yet. Add one to get started.</p>}>
      <ul
        class="pack-list"
        role="listbox"
        aria-label="Integration Packs"
        tabindex="0"
        aria-activedescendant={active() ? optionId(active()!.id) : undefined}
        onKeyDown={move}
      >
        <For each={sorted()}>
          {(pack) => (
            <li
              id={optionId(pack.id)}
              role="option"
              aria-selected={isSelected(pack.id)}
              aria-describedby={viewers(pack.id).length > 0 ? `${optionId(pack.id)}-viewers` : undefined}
              classList={{ 'pack-option': true, active: isActive(pack.id) }}
              onClick={() => {
                setActiveId(pack.id);
                props.onSelect(pack.id);
              }}
            >
              <span class="pack-option-name">{pack.name}</span>
              <Show when={viewers(pack.id).length > 0}>
                {/* Hidden from the name (the option is named by the pack alone), used as its description. */}
                <span class="pack-option-viewers" id={`${optionId(pack.id)}-viewers`} aria-hidden="true">
                  <span class="visually-hidden">
                    Viewing now:{' '}
                    {viewers(pack.id)
                      .map((peer) => peer.name)
                      .join(', ')}
                  </span>
                  <For each={viewers(pack.id)}>{(peer) => <Avatar name={peer.name} color={peer.color} small />}</For>
                </span>
              </Show>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}
