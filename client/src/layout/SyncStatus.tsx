/** Offline / Connecting / Syncing — n changes not yet stored / Saved, announced politely. */
import type { Workspace } from '../../core/api.ts';
import { syncStatusText } from '../format.ts';

export function SyncStatus(props: { workspace: Workspace }) {
  const state = () => props.workspace.status().state;
  return (
    <p class="sync-status" data-state={state()} role="status" aria-label="Sync status">
      <span class="sync-dot" aria-hidden="true" />
      <span>{syncStatusText(props.workspace.status())}</span>
    </p>
  );
}
