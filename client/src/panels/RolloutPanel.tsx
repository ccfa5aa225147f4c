/**
 * The publisher's view of a pack's rollout, as push-upgrade tools show it: per managed account the
 * release each installation runs, the update still pending (and the date it is applied), and any that
 * failed to apply with the reason. The counts come with the synced document (offline too); the rows
 * are paged from the server ("Show more installations") and kept on this device.
 */
import { createEffect, createUniqueId, For, Show } from 'solid-js';
import { type DateStyle, dateStyleOf, formatDate } from '../../../shared/date-format.ts';
import type { Release } from '../../../shared/model.ts';
import { currentRelease, pendingRelease } from '../../../shared/releases.ts';
import type { RolloutRow } from '../../../shared/rollout.ts';
import { countOf, Noun } from '../../../shared/words.ts';
import type { Workspace } from '../../core/api.ts';
import { reachText } from '../format.ts';
import '../managed/managed.css';

const stateText = (row: RolloutRow, style: DateStyle): string => {
  switch (row.state) {
    case 'CURRENT':
      return 'Up to date';
    case 'PENDING':
      return row.pendingDate ? `Update pending until ${formatDate(row.pendingDate, style)}` : 'Update pending';
    case 'FAILED':
      return 'Failed to apply';
    case 'BEHIND':
      return 'Being updated';
  }
};

export function RolloutPanel(props: { workspace: Workspace; packId: string }) {
  const titleId = createUniqueId();
  const releases = () => props.workspace.releases(props.packId)();
  const summary = () => props.workspace.rollout(props.packId)();
  const rows = () => props.workspace.rolloutRows(props.packId)();
  const pages = () => props.workspace.pageState('rollout', props.packId)();
  const pending = () => pendingRelease(releases());
  const style = () => dateStyleOf(props.workspace.account());
  const installed = () => summary()?.instances ?? 0;

  // The first page comes when the panel is first shown for a pack that is installed somewhere.
  createEffect(() => {
    if (installed() > 0 && !pages().loaded && !pages().loading && !pages().error) void props.workspace.loadMore('rollout', props.packId);
  });
  const more = () => !pages().complete || pages().stale;
  // The notes of the newest release and of the last one in effect (they differ while one is pending).
  const notes = () => {
    const shown = new Map<number, Release>();
    const inEffect = releases().filter((release) => release.status === 'SUCCESS');
    for (const release of [currentRelease(releases()), currentRelease(inEffect)]) if (release?.notes) shown.set(release.number, release);
    return [...shown.values()];
  };

  return (
    <section class="card rollout" aria-labelledby={titleId}>
      <h3 id={titleId} class="section-title">
        Rollout
      </h3>
      <Show when={notes().length > 0}>
        <dl class="rollout-notes">
          <For each={notes()}>
            {(release) => (
              <>
                <dt>Release {release.number} notes</dt>
                <dd class="release-notes">{release.notes}</dd>
              </>
            )}
          </For>
        </dl>
      </Show>
      <Show
        when={summary()}
        fallback={
          <p class="muted">
            {releases().length === 0 ? 'Not released yet.' : 'Not installed in any managed account yet.'}
            {pending() ? ` Release ${pending()!.number} is scheduled for ${formatDate(pending()!.releaseOnDate ?? '', style())}.` : ''}
          </p>
        }
      >
        {(counts) => (
          <>
            <div class="rollout-summary">
              <span>{reachText(counts().instances, counts().accounts)}</span>
              <For each={counts().byRelease}>
                {(entry) => (
                  <span>
                    {countOf(entry.instances, Noun.instance)} on Release {entry.releaseNumber}
                  </span>
                )}
              </For>
              <Show when={pending()}>
                {(release) => (
                  <span>
                    Release {release().number} pending until {formatDate(release().releaseOnDate ?? '', style())}:{' '}
                    {countOf(counts().pending, Noun.instance)} not updated yet
                  </span>
                )}
              </Show>
              <Show when={counts().failed > 0}>
                <span class="error">{counts().failed} failed to apply</span>
              </Show>
            </div>
            <Show when={rows().length > 0}>
              {/* Focusable: on a phone the table may scroll sideways, and a keyboard must reach it. */}
              <div class="table-scroll" tabindex="0" role="region" aria-label="Installations by managed account">
                <table class="publications-table rollout-table">
                  <thead>
                    <tr>
                      <th scope="col">Managed Account</th>
                      <th scope="col">Instance</th>
                      <th scope="col">Release</th>
                      <th scope="col">Pending Release</th>
                      <th scope="col">Status</th>
                    </tr>
                  </thead>
                  <tbody>
                    <For each={rows()}>
                      {(row) => (
                        <tr data-state={row.state}>
                          <th scope="row">{row.accountName}</th>
                          <td>{row.overrideName ?? ''}</td>
                          <td class="num">{row.releaseNumber}</td>
                          <td class="num">{row.pendingReleaseNumber ?? ''}</td>
                          <td>
                            <span class="state-badge" data-state={row.state}>
                              {stateText(row, style())}
                            </span>
                            <Show when={row.error}>
                              <p class="error">{row.error}</p>
                            </Show>
                          </td>
                        </tr>
                      )}
                    </For>
                  </tbody>
                </table>
              </div>
            </Show>
            <p class="muted page-status" aria-live="polite">
              <Show when={pages().loading}>Loading installations…</Show>
              <Show when={!pages().loading && pages().error}>{pages().error}</Show>
              <Show when={!pages().loading && !pages().error && pages().stale}>
                These rows were stored on this device before the latest change; they are refreshed when you are online.
              </Show>
              <Show when={rows().length > 0 && !pages().loading}>
                {' '}
                Showing {rows().length} of {countOf(counts().instances, Noun.instance)}.
              </Show>
            </p>
            <Show when={more() && rows().length < counts().instances}>
              <button
                type="button"
                class="link-button"
                disabled={pages().loading}
                onClick={() => void props.workspace.loadMore('rollout', props.packId)}
              >
                Show more installations
              </button>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
