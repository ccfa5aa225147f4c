/** Per-pack history of commands: who, when, what, and the result. Newest first. */
import { createMemo, createSignal, createUniqueId, For, Show } from 'solid-js';
import type { Workspace } from '../../core/api.ts';
import '../managed/managed.css';
import { dateStyleOf, formatDateTime } from '../../../shared/date-format.ts';
import { historyTimeline } from './history-timeline.ts';

const SHOWN_AT_FIRST = 20;

export function HistoryPanel(props: { workspace: Workspace; packId: string }) {
  const titleId = createUniqueId();
  const [showAll, setShowAll] = createSignal(false);
  const style = () => dateStyleOf(props.workspace.account());
  const records = createMemo(() =>
    historyTimeline(props.workspace.history(props.packId)(), props.workspace.releases(props.packId)(), style()),
  );
  const shown = () => (showAll() ? records() : records().slice(0, SHOWN_AT_FIRST));

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
                <span class="history-meta">
                  {record.actor} · <time datetime={record.at}>{formatDateTime(record.at, style())}</time>
                </span>
              </li>
            )}
          </For>
        </ol>
        <Show when={records().length > SHOWN_AT_FIRST}>
          <button type="button" class="link-button" onClick={() => setShowAll(!showAll())}>
            {showAll() ? 'Show fewer' : `Show all ${records().length}`}
          </button>
        </Show>
      </Show>
    </section>
  );
}
