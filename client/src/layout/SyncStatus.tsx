/** Offline / Connecting / Syncing — n changes not yet stored / Saved, announced politely. */
import type { Workspace } from '../../core/api.ts';
import { Show } from 'solid-js';
import { queuedText, syncStatusText } from '../format.ts';

export function SyncStatus(props: { workspace: Workspace }) {
  const state = () => props.workspace.status().state;
  return (
    <p class="sync-status" data-state={state()} role="status" aria-label="Sync status">
      <span class="sync-dot" aria-hidden="true" />
      <span>{syncStatusText(props.workspace.status())}</span>
      <Show when={props.workspace.pendingCommands().length > 0}>
        <span class="queued"> · {queuedText(props.workspace.pendingCommands().length)}</span>
      </Show>
    </p>
  );
}
