/**
 * The top of the page: where you are and who you are (with Sign out), then a strip with the sync
 * status, who else is online, and Undo/Redo.
 */
import { Show } from 'solid-js';
import { isManagedWorkspace, type AnyWorkspace } from '../../core/api.ts';
import { AccountSettingsButton } from '../settings/AccountSettingsButton.tsx';
import { Avatar } from './Avatar.tsx';
import { Peers } from './Peers.tsx';
import { SyncStatus } from './SyncStatus.tsx';
import { UndoRedo } from './UndoRedo.tsx';

export function Header(props: { workspace: AnyWorkspace; onSignOut: () => void }) {
  const session = () => props.workspace.session;
  /** The publisher's workspace; a managed account's page has no sync strip (it shows its own status). */
  const publisher = () => (isManagedWorkspace(props.workspace) ? undefined : props.workspace);
  const accountName = () => {
    const workspace = props.workspace;
    return isManagedWorkspace(workspace) ? workspace.view()?.managedAccountName : workspace.account()?.name;
  };
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
          <Show when={accountName()}>{(name) => <span class="account-name">{name()}</span>}</Show>
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
      <Show when={publisher()}>
        {(workspace) => (
          <div class="status-bar">
            <SyncStatus workspace={workspace()} />
            <Peers workspace={workspace()} />
            <AccountSettingsButton workspace={workspace()} />
            <UndoRedo workspace={workspace()} />
          </div>
        )}
      </Show>
    </header>
  );
}
