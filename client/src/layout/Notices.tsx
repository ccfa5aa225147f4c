/**
 * Notices from the server, e.g. an edit it reverted and why, until the person dismisses them.
 * Repeats of one notice show once with a count, and Dismiss clears them all.
 */
import { createMemo, For, Show } from 'solid-js';
import type { Workspace } from '../../core/api.ts';
import { groupNotices, type NoticeGroup } from '../format.ts';

export function Notices(props: { workspace: Pick<Workspace, 'notices' | 'dismissNotice'> }) {
  const groups = createMemo(() => groupNotices(props.workspace.notices()));
  // Highest index first, so the indexes still to dismiss stay valid.
  const dismiss = (group: NoticeGroup) => {
    for (const index of [...group.indexes].sort((a, b) => b - a)) props.workspace.dismissNotice(index);
  };

  return (
    <div class="notices" role="alert" aria-label="Notices">
      <For each={groups()}>
        {(group) => (
          <div class={`notice notice-${group.notice.level}`}>
            <p>
              {group.notice.message}
              <Show when={group.indexes.length > 1}>
                <span class="notice-count"> ({group.indexes.length} times)</span>
              </Show>
            </p>
            <button type="button" class="link-button" onClick={() => dismiss(group)}>
              Dismiss
            </button>
          </div>
        )}
      </For>
    </div>
  );
}
