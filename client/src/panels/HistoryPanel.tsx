/**
 * Per-pack history of commands: who, when, what, and the result. Newest first. The newest records
 * come with the synced document (offline too); older ones are paged from the server ("Show more
 * history") and kept on this device.
 */
import { createMemo, createSignal, createUniqueId, For, Show } from 'solid-js';
import type { Workspace } from '../../core/api.ts';
import '../managed/managed.css';
import { dateStyleOf, formatDateTime } from '../../../shared/date-format.ts';
import { historyTimeline } from './history-timeline.ts';

const STEP = 20;

export function HistoryPanel(props: { workspace: Workspace; packId: string }) {
  const titleId = createUniqueId();
  const [shownCount, setShownCount] = createSignal(STEP);
  const style = () => dateStyleOf(props.workspace.account());
  const records = createMemo(() =>
    historyTimeline(props.workspace.history(props.packId)(), props.workspace.releases(props.packId)(), style()),
  );
  const pages = () => props.workspace.pageState('history', props.packId)();
  const shown = () => records().slice(0, shownCount());
  const more = () => records().length > shownCount() || !pages().complete;

  const showMore = async () => {
    if (records().length <= shownCount()) await props.workspace.loadMore('history', props.packId);
    setShownCount((count) => count + STEP * 2);
  };

  return (
    <section class="card history" aria-labelledby={titleId}>
      <h3 id={titleId} class="section-title">
        History
      </h3>
      <Show when={records().length > 0} fallback={<p class="muted">No releases or other commands yet.</p>}>
        <ol class="history-list">
          <For each={shown()}>
            {(record) => (
              <li class="history-item">
                <span>
                  <span class="state-badge" data-state={record.status}>
                    {record.status === 'SUCCESS' ? 'Done' : record.kind === 'AUTO_APPLY' ? 'Failed' : 'Refused'}
                  </span>{' '}
                  {record.summary}
                </span>
                <Show when={record.message && record.message !== record.summary}>
                  <span>{record.message}</span>
                </Show>
                <Show when={record.notes}>
                  {(notes) => (
                    <span class="release-notes">
                      <span class="release-notes-label">Release notes:</span> {notes()}
                    </span>
                  )}
                </Show>
                <span class="history-meta">
                  {record.actor} · <time datetime={record.at}>{formatDateTime(record.at, style())}</time>
                </span>
              </li>
            )}
          </For>
        </ol>
      </Show>
      <p class="muted page-status" aria-live="polite">
        <Show when={pages().loading}>Loading older history…</Show>
        <Show when={!pages().loading && pages().error}>{pages().error}</Show>
      </p>
      <Show when={more() && (records().length > 0 || !pages().loaded)}>
        <button type="button" class="link-button" disabled={pages().loading} onClick={() => void showMore()}>
          Show more history
        </button>
      </Show>
    </section>
  );
}
