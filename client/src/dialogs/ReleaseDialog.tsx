/**
 * The "Integration Pack Release" dialog: Release Immediate or Release Pending with a Release Date
 * (a native date input from tomorrow in the publisher's time zone; a click anywhere in it opens the
 * calendar), a preview of what the release changes and whom it reaches, OK and Cancel. What is
 * chosen is checked as it is chosen, with the server's rules (release-form.ts): a choice that cannot
 * be made is disabled with its reason, and OK waits until the choice is valid.
 */
import { createMemo, createSignal, createUniqueId, For, Show } from 'solid-js';
import type { Workspace } from '../../core/api.ts';
import { dateStyleOf, formatDate } from '../../../shared/date-format.ts';
import { ReleaseSchedule } from '../../../shared/model.ts';
import { releaseChanges, type ReleaseChange } from '../../../shared/publications.ts';
import { validateReleaseNotes } from '../../../shared/release-notes.ts';
import { publisherTimeZone } from '../../../shared/release-plan.ts';
import { type Outcome, outcomeText, reachText } from '../format.ts';
import { openPicker } from './date-picker.ts';
import { Dialog } from './Dialog.tsx';
import { ReleaseNotesField, releaseNotesError } from './ReleaseNotesField.tsx';
import { DialogActions } from './DialogActions.tsx';
import { releaseFormState } from './release-form.ts';

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
  const [notes, setNotes] = createSignal('');
  const notesError = () => releaseNotesError(notes());
  const [failure, setFailure] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const pending = () => schedule() === ReleaseSchedule.RELEASE_ON_SPECIFIED_DATE;
  const style = () => dateStyleOf(props.workspace.account());
  const releases = () => props.workspace.releases(props.packId)();
  const state = createMemo(() =>
    releaseFormState({
      schedule: schedule(),
      date: date(),
      rows: props.workspace.publications(props.packId)(),
      releases: releases(),
      timeZone: publisherTimeZone(props.workspace.account()),
      now: new Date(),
    }),
  );
  const changes = createMemo(() => releaseChanges(props.workspace.publications(props.packId)()));
  const reach = createMemo(() => {
    const summary = props.workspace.rollout(props.packId)();
    return { instances: summary?.instances ?? 0, accounts: summary?.accounts ?? 0 };
  });
  const isFirstRelease = () => releases().length === 0;
  const dateError = () => (state().error?.field === 'releaseOnDate' ? state().error?.message : undefined);
  const otherError = () => (state().error && state().error?.field !== 'releaseOnDate' ? state().error?.message : undefined);

  const release = async () => {
    if (!state().canRelease || notesError()) return;
    setBusy(true);
    setFailure(undefined);
    try {
      const written = validateReleaseNotes(notes());
      const withNotes = written.ok && written.value !== undefined ? { notes: written.value } : {};
      const result = await props.workspace.release(
        props.packId,
        pending() ? { releaseSchedule: schedule(), releaseOnDate: date(), ...withNotes } : { releaseSchedule: schedule(), ...withNotes },
      );
      if (!result.ok) return setFailure(result.error.message);
      const outcome = outcomeText(result.value);
      if (outcome.ok) props.onClose(outcome);
      else setFailure(outcome.text);
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
              aria-describedby={`${ids.schedule}-immediate`}
              onChange={() => setSchedule(ReleaseSchedule.IMMEDIATELY)}
            />
            Release Immediate
          </label>
          <label class="radio" classList={{ disabled: state().pendingBlocked !== undefined }}>
            <input
              type="radio"
              name={ids.schedule}
              checked={pending()}
              disabled={state().pendingBlocked !== undefined}
              aria-describedby={state().pendingBlocked ? `${ids.schedule}-blocked` : undefined}
              onChange={() => setSchedule(ReleaseSchedule.RELEASE_ON_SPECIFIED_DATE)}
            />
            Release Pending
          </label>
        </div>
        <p id={`${ids.schedule}-immediate`} class="hint">
          <Show
            when={state().replaces}
            fallback={
              isFirstRelease() ? 'Release Immediate: installable at once.' : 'Release Immediate: applied at once to every installation.'
            }
          >
            {(replaced) => (
              <>
                Release Immediate: release {replaced().number}, pending until {formatDate(replaced().releaseOnDate ?? '', style())}, is
                replaced: this release is applied at once to every installation, including those that have not applied release{' '}
                {replaced().number}.
              </>
            )}
          </Show>
        </p>
        <Show when={state().replaces && state().pendingBlocked}>
          <p id={`${ids.schedule}-blocked`} class="hint">
            Release Pending is not available: release {state().replaces?.number} is already pending until{' '}
            {formatDate(state().replaces?.releaseOnDate ?? '', style())}, and only one update can be pending per integration pack. Release
            immediately to ship a fix now.
          </p>
        </Show>
      </fieldset>

      <div class="field">
        <label for={ids.date}>Release Date</label>
        <input
          id={ids.date}
          type="date"
          min={state().firstDate}
          disabled={!pending()}
          required={pending()}
          value={date()}
          onClick={(event) => openPicker(event.currentTarget)}
          onInput={(event) => setDate(event.currentTarget.value)}
          aria-invalid={dateError() ? 'true' : undefined}
          aria-describedby={`${ids.date}-hint${dateError() ? ` ${ids.date}-error` : ''}`}
        />
        <Show when={dateError()}>
          <p id={`${ids.date}-error`} class="field-error" role="alert">
            {dateError()}
          </p>
        </Show>
        <p id={`${ids.date}-hint`} class="hint">
          {pending()
            ? `From ${formatDate(state().firstDate, style())}. Until then managed accounts may apply the update; at the start of this date (${style().timeZone}) it is applied to every installation that has not.`
            : 'Only for Release Pending.'}
        </p>
      </div>

      <ReleaseNotesField
        value={notes()}
        onInput={setNotes}
        hint="Optional. Shown in History and Rollout, to managed accounts with the update, and in the browser extension's reminder."
      />

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
        <p class="hint">A release cannot be undone: to roll back, release again with the older versions.</p>
      </section>

      <DialogActions
        error={failure() ?? otherError()}
        okDisabled={busy() || !state().canRelease || notesError() !== undefined}
        onOk={release}
        onCancel={props.onClose}
      />
    </Dialog>
  );
}
