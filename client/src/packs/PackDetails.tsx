/** The right side: the selected pack (or a new one) with its Publications, rollout and history. */
import { createMemo, createUniqueId, lazy, Show, Suspense } from 'solid-js';
import { A } from '@solidjs/router';
import type { Workspace } from '../../core/api.ts';
import { dateStyleOf, formatDate } from '../../../shared/date-format.ts';
import { releaseDateShown } from '../../../shared/releases.ts';
import { PackEditor } from './PackEditor.tsx';
import { PublicationsSection } from './PublicationsSection.tsx';

// Below the fold and not needed to edit a pack: loaded after the page (the initial JS budget is 100 kB).
const RolloutPanel = lazy(() => import('../panels/RolloutPanel.tsx').then((module) => ({ default: module.RolloutPanel })));
const PendingRelease = lazy(() => import('./PendingRelease.tsx'));
const EditHistory = lazy(() => import('./EditHistory.tsx').then((module) => ({ default: module.EditHistory })));
const HistoryPanel = lazy(() => import('../panels/HistoryPanel.tsx').then((module) => ({ default: module.HistoryPanel })));

export interface PackDetailsProps {
  workspace: Workspace;
  /** undefined: Add Integration Pack. */
  packId: string | undefined;
  onCreated: (packId: string) => void;
  onDeleted: () => void;
}

export function PackDetails(props: PackDetailsProps) {
  const releaseDateId = createUniqueId();
  const pack = createMemo(() => (props.packId === undefined ? undefined : props.workspace.pack(props.packId)()));
  const style = () => dateStyleOf(props.workspace.account());
  const releaseDate = () => {
    const day = props.packId === undefined ? undefined : releaseDateShown(props.workspace.releases(props.packId)(), style().timeZone);
    return day === undefined ? undefined : formatDate(day, style());
  };
  const known = () => props.packId === undefined || pack() !== undefined;
  // Before the first sync a pack that is not here yet is loading, not missing.
  const loading = () => !known() && !props.workspace.dataKnown();
  // An object, not the id: a pack stored before the pack-id rule may have the id '', which <Show> would take for none.
  const shownPack = () => (props.packId === undefined ? undefined : { id: props.packId });

  return (
    <div class="details">
      <A href="/packs" class="back-link">
        <span aria-hidden="true">←</span> Back to Integration Packs
      </A>
      <Show
        when={known()}
        fallback={
          <div class="card">
            <Show
              when={!loading()}
              fallback={
                <p class="muted" role="status">
                  Loading this integration pack…
                </p>
              }
            >
              <h2 tabindex="-1">Integration pack not found</h2>
              <p class="muted">It may have been deleted, or it has not reached this device yet.</p>
            </Show>
          </div>
        }
      >
        <div class="card">
          <div class="card-head">
            <h2 tabindex="-1" class="details-title">
              {props.packId === undefined ? 'New integration pack' : pack()?.name}
            </h2>
            <Show when={props.packId !== undefined}>
              <div class="release-date">
                <label for={releaseDateId}>Release date</label>
                <input id={releaseDateId} type="text" readonly value={releaseDate() ?? 'Not released yet'} />
              </div>
            </Show>
          </div>
          <Show when={shownPack()}>
            {(packId) => (
              <Suspense>
                <PendingRelease workspace={props.workspace} packId={packId().id} />
              </Suspense>
            )}
          </Show>
          <PackEditor workspace={props.workspace} packId={props.packId} onCreated={props.onCreated} onDeleted={props.onDeleted} />
        </div>
        <Show when={shownPack()}>
          {(packId) => (
            <>
              <div class="card">
                <PublicationsSection workspace={props.workspace} packId={packId().id} />
              </div>
              <Suspense>
                <EditHistory workspace={props.workspace} packId={packId().id} />
              </Suspense>
              <Suspense>
                <RolloutPanel workspace={props.workspace} packId={packId().id} />
                <HistoryPanel workspace={props.workspace} packId={packId().id} />
              </Suspense>
            </>
          )}
        </Show>
      </Show>
    </div>
  );
}
