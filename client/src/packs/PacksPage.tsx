/**
 * Manage > Integration Packs: the list at the left, the selected pack at the right. The URL names
 * the selection (/packs/:id, /packs/new). On a narrow screen the two are separate views.
 */
import { createEffect, onCleanup, Show } from 'solid-js';
import { Navigate, useNavigate, useParams } from '@solidjs/router';
import { packIdOfSegment, packSegment } from '../../../shared/pack-route.ts';
import type { Workspace } from '../../core/api.ts';
import { useWorkspace, canEdit } from '../WorkspaceContext.tsx';
import { PackDetails } from './PackDetails.tsx';
import { PackList } from './PackList.tsx';

export function PacksPage() {
  const workspace = useWorkspace();
  if (workspace.session.role === 'managed') return <Navigate href="/managed" />;
  const params = useParams<{ id?: string }>();
  const navigate = useNavigate();
  const selectedId = () => packIdOfSegment(params.id);
  const showingDetails = () => params.id !== undefined;

  // An empty list says "no packs" only once the data is here: before the first sync it is loading.
  const listKnown = () => workspace.dataKnown() || workspace.packs().length > 0;

  createEffect(() => workspace.setViewing(selectedId()));
  onCleanup(() => workspace.setViewing(undefined));

  // After Save adds a pack or a pack is deleted, focus the new view's heading for keyboard users.
  const focusHeading = (selector: string) => queueMicrotask(() => document.querySelector<HTMLElement>(selector)?.focus());

  return (
    <main class="packs-page" classList={{ 'showing-details': showingDetails() }}>
      <h1 class="visually-hidden">Integration Packs</h1>
      <Show when={workspace.session.role === 'viewer'}>
        <p class="read-only-banner" role="note">
          <strong>Read only.</strong> You are signed in as a viewer: you can look at every integration pack, but not change, release or
          delete one.
        </p>
      </Show>
      <section class="list-pane" aria-label="Integration Packs list">
        <div class="pane-head">
          <h2 class="pane-title" tabindex="-1">
            Integration Packs
          </h2>
          <button type="button" class="primary" disabled={!canEdit(workspace)} onClick={() => navigate('/packs/new')}>
            <span aria-hidden="true" class="icon">
              +
            </span>{' '}
            Add Integration Pack
          </button>
        </div>
        <Show when={listKnown()} fallback={<ListLoading workspace={workspace} />}>
          <PackList workspace={workspace} selectedId={selectedId()} onSelect={(id) => navigate(`/packs/${packSegment(id)}`)} />
        </Show>
      </section>
      <section class="details-pane" aria-label="Integration pack details">
        <Show
          when={showingDetails()}
          fallback={
            <div class="card placeholder">
              <p>Select an integration pack in the list to edit it, or add a new one.</p>
            </div>
          }
        >
          <Show when={params.id} keyed>
            {(id) => (
              <PackDetails
                workspace={workspace}
                packId={packIdOfSegment(id)}
                onCreated={(packId) => {
                  navigate(`/packs/${packSegment(packId)}`, { replace: true });
                  focusHeading('.details-title');
                }}
                onDeleted={() => {
                  navigate('/packs', { replace: true });
                  focusHeading('.pane-title');
                }}
              />
            )}
          </Show>
        </Show>
      </section>
    </main>
  );
}

/** Until the first sync: loading, and why it may take a while. */
function ListLoading(props: { workspace: Workspace }) {
  return (
    <p class="muted empty-list" role="status">
      {props.workspace.status().state === 'offline'
        ? 'Offline: your integration packs load once this device reaches the server.'
        : 'Loading your integration packs…'}
    </p>
  );
}
