/**
 * One option of the Integration Packs list, measured and placed by the virtualizer. Named by the
 * pack's name alone; its badges (type, pending release with its date, "Needs release", an unsaved
 * draft on this device) and who is viewing it are its description. The release badges are derived
 * here, for the rendered options only.
 */
import { createMemo, For, type JSX, Show } from 'solid-js';
import type { PackListItem, Peer, Workspace } from '../../core/api.ts';
import { installationTypeLabel, type PublishedComponent } from '../../../shared/model.ts';
import { dateStyleOf, formatDate } from '../../../shared/date-format.ts';
import { publisherTimeZone } from '../../../shared/release-plan.ts';
import { packReleaseState } from '../../../shared/releases.ts';
import { Avatar } from '../layout/Avatar.tsx';

export interface PackOptionProps {
  workspace: Workspace;
  pack: PackListItem;
  id: string;
  /** Place among the options shown (0-based) and their count. */
  index: number;
  setSize: number;
  active: boolean;
  selected: boolean;
  viewers: readonly Peer[];
  catalog: ReadonlyMap<string, PublishedComponent>;
  /** From the virtualizer: it measures the option and places it. */
  ref: ((element: HTMLLIElement) => void) | undefined;
  style: JSX.CSSProperties | undefined;
  onClick: () => void;
}

/** The badge's short word; the rest of the type's label is read by screen readers only. */
const TYPE_WORD = { SINGLE: 'Single', MULTI: 'Multiple' } as const;

export function PackOption(props: PackOptionProps) {
  const releaseState = createMemo(() =>
    packReleaseState(props.pack.componentIds, props.workspace.releaseIndex().get(props.pack.id) ?? [], props.catalog),
  );
  const timeZone = () => publisherTimeZone(props.workspace.account());
  const hasDraft = () => props.workspace.draftIds().has(props.pack.id);
  const typeWord = () => TYPE_WORD[props.pack.installationType];
  // One id per badge: the description then reads them apart ("Single Attachment Needs release").
  const describedBy = () =>
    [
      `${props.id}-type`,
      ...(releaseState().pending?.releaseOnDate ? [`${props.id}-pending`] : []),
      ...(releaseState().needsRelease ? [`${props.id}-release`] : []),
      ...(hasDraft() ? [`${props.id}-draft`] : []),
      ...(props.viewers.length > 0 ? [`${props.id}-viewers`] : []),
    ].join(' ');

  return (
    <li
      ref={(element) => props.ref?.(element)}
      id={props.id}
      role="option"
      aria-selected={props.selected}
      aria-posinset={props.index + 1}
      aria-setsize={props.setSize}
      aria-describedby={describedBy()}
      classList={{ 'pack-option': true, active: props.active }}
      style={props.style}
      onClick={() => props.onClick()}
    >
      {/* The option itself has no padding: the virtualizer measures its content box. */}
      <span class="pack-option-body">
        <span class="pack-option-line">
          <span class="pack-option-name">{props.pack.name}</span>
          <Show when={props.viewers.length > 0}>
            <span class="pack-option-viewers" id={`${props.id}-viewers`} aria-hidden="true">
              <span class="visually-hidden">Viewing now: {props.viewers.map((peer) => peer.name).join(', ')}</span>
              <For each={props.viewers}>{(peer) => <Avatar name={peer.name} color={peer.color} small />}</For>
            </span>
          </Show>
        </span>
        {/* Hidden from the option's content, so the pack's name alone names it (its visible label); read as its description. */}
        <span class="pack-badges" aria-hidden="true">
          <span class="badge badge-type" id={`${props.id}-type`}>
            {typeWord()}
            <span class="visually-hidden">{installationTypeLabel[props.pack.installationType].slice(typeWord().length)}</span>
          </span>
          <Show when={releaseState().pending?.releaseOnDate}>
            {(date) => (
              <span class="badge badge-pending" id={`${props.id}-pending`} title={`Applied at the start of ${date()} (${timeZone()})`}>
                Pending {formatDate(date(), dateStyleOf(props.workspace.account()))}
              </span>
            )}
          </Show>
          <Show when={releaseState().needsRelease}>
            <span class="badge badge-release" id={`${props.id}-release`}>
              Needs release
            </span>
          </Show>
          <Show when={hasDraft()}>
            <span class="badge badge-draft" id={`${props.id}-draft`}>
              Unsaved draft
            </span>
          </Show>
        </span>
      </span>
    </li>
  );
}
