/**
 * The top of the page: where you are and who you are (with Sign out), then a strip with the sync
 * status, who else is online, and Undo/Redo.
 */
import { Show } from 'solid-js';
import type { Workspace } from '../../core/api.ts';
import { AccountSettingsButton } from '../settings/AccountSettingsButton.tsx';
import { Avatar } from './Avatar.tsx';
import { Peers } from './Peers.tsx';
import { SyncStatus } from './SyncStatus.tsx';
import { UndoRedo } from './UndoRedo.tsx';

export function Header(props: { workspace: Workspace; onSignOut: () => void }) {
  const session = () => props.workspace.session;
  return (
    <header class="app-header">
      <div class="top-bar">
        <div class="brand">
          <img src="/icons/favicon-32.png" alt="" width="24" height="24" />
          <nav aria-label="Breadcrumb" class="breadcrumb">
            <span class="crumb-parent">Manage</span>
            <span aria-hidden="true" class="crumb-sep">
              ›
            </span>
            <span aria-current="page">Integration Packs</span>
          </nav>
        </div>
        <div class="me">
          <Show when={props.workspace.account()}>{(account) => <span class="account-name">{account().name}</span>}</Show>
          <Avatar name={session().personName} color="#2f6f9f" />
          <span class="me-name">
            {session().personName}
            <Show when={session().role !== 'admin'}> ({session().role})</Show>
          </span>
          <button type="button" class="ghost" onClick={() => props.onSignOut()}>
            Sign out
          </button>
        </div>
      </div>
      <Show when={session().role !== 'managed'}>
        <div class="status-bar">
          <SyncStatus workspace={props.workspace} />
          <Peers workspace={props.workspace} />
          <AccountSettingsButton workspace={props.workspace} />
          <UndoRedo workspace={props.workspace} />
        </div>
      </Show>
    </header>
  );
}
