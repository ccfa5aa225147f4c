/**
 * The "Integration Pack Release" dialog: Release Immediate or Release Pending with a Release Date
 * (a native date input, from tomorrow in the publisher's time zone), a preview of what the release
 * changes and whom it reaches, OK and Cancel.
 */
import { createMemo, createSignal, createUniqueId, For, Show } from 'solid-js';
import type { Workspace } from '../../core/api.ts';
import { todayIn } from '../../../shared/dates.ts';
import { ReleaseSchedule } from '../../../shared/model.ts';
import { publisherTimeZone, releaseReach } from '../../../shared/release-plan.ts';
import { releaseChanges, type ReleaseChange } from '../../../shared/publications.ts';
import type { RuleError } from '../../../shared/result.ts';
import { nextCalendarDay, type Outcome, outcomeText, reachText } from '../format.ts';
import { Dialog } from './Dialog.tsx';
import { DialogActions } from './DialogActions.tsx';

export interface ReleaseDialogProps {
  workspace: Workspace;
  packId: string;
  /** With the outcome to show on the page when the release was sent, without one when cancelled. */
  onClose: (outcome?: Outcome) => void;
}

function changeText(change: ReleaseChange): string {
  switch (change.kind) {
    case 'added':
      return `Adds ${change.componentName}, version ${change.to}`;
    case 'updated':
      return `Updates ${change.componentName} from version ${change.from} to ${change.to}`;
    case 'removed':
      return `Removes ${change.componentName} (version ${change.from})`;
  }
}

export default function ReleaseDialog(props: ReleaseDialogProps) {
  const ids = { schedule: createUniqueId(), date: createUniqueId(), preview: createUniqueId() };
  const [schedule, setSchedule] = createSignal<ReleaseSchedule>(ReleaseSchedule.IMMEDIATELY);
  const [date, setDate] = createSignal('');
  const [error, setError] = createSignal<RuleError>();
  const [busy, setBusy] = createSignal(false);
  const pending = () => schedule() === ReleaseSchedule.RELEASE_ON_SPECIFIED_DATE;
  const timeZone = () => publisherTimeZone(props.workspace.account());
  const tomorrow = createMemo(() => nextCalendarDay(todayIn(timeZone(), new Date())));
  const changes = createMemo(() => releaseChanges(props.workspace.publications(props.packId)()));
  const reach = createMemo(() => releaseReach(props.workspace.instances(props.packId)(), props.packId));
  const isFirstRelease = () => props.workspace.releases(props.packId)().length === 0;

  const release = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const result = await props.workspace.release(
        props.packId,
        pending() ? { releaseSchedule: schedule(), releaseOnDate: date() } : { releaseSchedule: schedule() },
      );
      if (!result.ok) return setError(result.error);
      const outcome = outcomeText(result.value);
      if (outcome.ok) props.onClose(outcome);
      else setError({ code: 'COMMAND_FAILED', message: outcome.text });
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Integration Pack Release" class="release-dialog" onClose={() => props.onClose()}>
      <fieldset class="radio-group">
        <legend>Release schedule</legend>
        <div class="radio-options">
          <label class="radio">
            <input
              type="radio"
              name={ids.schedule}
              checked={!pending()}
              autofocus
              onChange={() => setSchedule(ReleaseSchedule.IMMEDIATELY)}
            />
            Release Immediate
          </label>
          <label class="radio">
            <input
              type="radio"
              name={ids.schedule}
              checked={pending()}
              onChange={() => setSchedule(ReleaseSchedule.RELEASE_ON_SPECIFIED_DATE)}
            />
            Release Pending
          </label>
        </div>
      </fieldset>

      <div class="field">
        <label for={ids.date}>Release Date</label>
        <input
          id={ids.date}
          type="date"
          min={tomorrow()}
          disabled={!pending()}
          required={pending()}
          value={date()}
          onInput={(event) => setDate(event.currentTarget.value)}
          aria-invalid={error()?.field === 'releaseOnDate' ? 'true' : undefined}
          aria-describedby={`${ids.date}-hint`}
        />
        <p id={`${ids.date}-hint`} class="hint">
          {pending()
            ? `From ${tomorrow()}. Until then managed accounts may apply the update; at the start of this date (${timeZone()}) it is applied to every installation that has not.`
            : 'Only for Release Pending.'}
        </p>
      </div>

      <section class="release-preview" aria-labelledby={ids.preview}>
        <h3 id={ids.preview}>This release</h3>
        <ul>
          <For each={changes()}>{(change) => <li>{changeText(change)}</li>}</For>
        </ul>
        <p>
          <Show when={!isFirstRelease()} fallback="This is the first release: managed accounts can install it.">
            <Show when={reach().instances > 0} fallback="No managed account has this integration pack installed.">
              {pending()
                ? `Offered as a pending update to ${reachText(reach().instances, reach().accounts)}; applied automatically on the Release Date.`
                : `Applied at once to ${reachText(reach().instances, reach().accounts)}.`}
            </Show>
          </Show>
        </p>
      </section>

      <DialogActions error={error()?.message} okDisabled={busy() || (pending() && date() === '')} onOk={release} onCancel={props.onClose} />
    </Dialog>
  );
}
