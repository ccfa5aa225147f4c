/** Notices from the server, e.g. an edit it reverted and why, until the person dismisses them. */
import { For } from 'solid-js';
import type { Workspace } from '../../core/api.ts';

export function Notices(props: { workspace: Workspace }) {
  return (
    <div class="notices" role="alert" aria-label="Notices">
      <For each={props.workspace.notices()}>
        {(notice, index) => (
          <div class={`notice notice-${notice.level}`}>
            <p>{notice.message}</p>
            <button type="button" class="link-button" onClick={() => props.workspace.dismissNotice(index())}>
              Dismiss
            </button>
          </div>
        )}
      </For>
    </div>
  );
}
