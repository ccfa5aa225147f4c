/**
 * The publisher's view of a pack's rollout, as push-upgrade tools show it: per managed account the
 * release each installation runs, the update still pending (and the date it is applied), and any that
 * failed to apply with the reason. Derived by shared/rollout.ts from the synced document.
 */
import { createMemo, createUniqueId, For, Show } from 'solid-js';
import { type DateStyle, dateStyleOf, formatDate } from '../../../shared/date-format.ts';
import { pendingRelease } from '../../../shared/releases.ts';
import { deriveRollout, type RolloutRow } from '../../../shared/rollout.ts';
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
  const rollout = createMemo(() =>
    deriveRollout(props.packId, releases(), props.workspace.instances(props.packId)(), props.workspace.managedAccounts()),
  );
  const pending = () => pendingRelease(releases());
  const style = () => dateStyleOf(props.workspace.account());
  const accounts = () => new Set(rollout().rows.map((row) => row.managedAccountId)).size;

  return (
    <section class="card rollout" aria-labelledby={titleId}>
      <h3 id={titleId} class="section-title">
        Rollout
      </h3>
      <Show
        when={rollout().rows.length > 0}
        fallback={
          <p class="muted">
            {releases().length === 0 ? 'Not released yet.' : 'Not installed in any managed account yet.'}
            {pending() ? ` Release ${pending()!.number} is scheduled for ${formatDate(pending()!.releaseOnDate ?? '', style())}.` : ''}
          </p>
        }
      >
        <div class="rollout-summary">
          <span>{reachText(rollout().rows.length, accounts())}</span>
          <For each={rollout().byRelease}>
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
                {countOf(rollout().pending, Noun.instance)} not updated yet
              </span>
            )}
          </Show>
          <Show when={rollout().failed > 0}>
            <span class="error">{rollout().failed} failed to apply</span>
          </Show>
        </div>
        <div class="table-scroll">
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
              <For each={rollout().rows}>
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
    </section>
  );
}
