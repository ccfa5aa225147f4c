/**
 * A release pending its date, under the pack's Release date: when it is applied and how many
 * installations still wait, with Reschedule (another date after today), Edit release notes and Cancel
 * pending release. They are commands (UPDATE_RELEASE, CANCEL_RELEASE: queued offline, audited in History), checked
 * first with the server's rules (shared/release-changes.ts): a release an installation applied
 * early cannot be cancelled, and Cancel pending release says so.
 */
import { createMemo, createSignal, createUniqueId, Show } from 'solid-js';
import type { Workspace } from '../../core/api.ts';
import { dateStyleOf, formatDate } from '../../../shared/date-format.ts';
import { todayIn } from '../../../shared/dates.ts';
import { planReleaseCancel } from '../../../shared/release-changes.ts';
import { publisherTimeZone } from '../../../shared/release-plan.ts';
import { pendingRelease, validateReleaseDate } from '../../../shared/releases.ts';
import { agree, countOf, Noun } from '../../../shared/words.ts';
import { ConfirmDialog } from '../dialogs/ConfirmDialog.tsx';
import { openPicker } from '../dialogs/date-picker.ts';
import { Dialog } from '../dialogs/Dialog.tsx';
import { DialogActions } from '../dialogs/DialogActions.tsx';
import { ReleaseNotesField, releaseNotesError } from '../dialogs/ReleaseNotesField.tsx';
import { nextCalendarDay, type Outcome, outcomeText } from '../format.ts';
import { canEdit } from '../WorkspaceContext.tsx';

export default function PendingRelease(props: { workspace: Workspace; packId: string }) {
  const id = createUniqueId();
  const [open, setOpen] = createSignal<'reschedule' | 'notes' | 'cancel'>();
  const [outcome, setOutcome] = createSignal<Outcome>();
  const style = () => dateStyleOf(props.workspace.account());
  const releases = () => props.workspace.releases(props.packId)();
  const rollout = () => props.workspace.rollout(props.packId)();
  const pending = createMemo(() => pendingRelease(releases()));
  const waiting = () => rollout()?.pendingByRelease.find((entry) => entry.releaseNumber === pending()?.number)?.instances ?? 0;
  const cancelRefusal = () => {
    const planned = planReleaseCancel({ releases: releases(), rollout: rollout() });
    return planned.ok ? undefined : planned.error.message;
  };
  const queued = () =>
    props.workspace
      .pendingCommands()
      .some(({ command }) => (command.type === 'UPDATE_RELEASE' || command.type === 'CANCEL_RELEASE') && command.packId === props.packId);
  const finish = (result: Awaited<ReturnType<Workspace['cancelRelease']>>): string | undefined => {
    if (!result.ok) return result.error.message;
    const said = outcomeText(result.value);
    if (!said.ok) return said.text;
    setOutcome(said);
    setOpen(undefined);
    return undefined;
  };

  return (
    <>
      <Show when={pending()}>
        {(release) => (
          <section class="pending-release" aria-labelledby={`${id}-title`}>
            <h3 id={`${id}-title`} class="visually-hidden">
              Pending release
            </h3>
            <p>
              Release {release().number} is pending until <strong>{formatDate(release().releaseOnDate ?? '', style())}</strong>
              {(rollout()?.instances ?? 0) > 0
                ? `: ${countOf(waiting(), Noun.installation)} ${agree(waiting(), { one: 'has', other: 'have' })} not applied it yet.`
                : '.'}
            </p>
            <div class="pending-actions">
              <button type="button" disabled={!canEdit(props.workspace) || queued()} onClick={() => setOpen('reschedule')}>
                Reschedule
              </button>
              <button type="button" disabled={!canEdit(props.workspace) || queued()} onClick={() => setOpen('notes')}>
                Edit release notes
              </button>
              <button
                type="button"
                class="danger"
                disabled={!canEdit(props.workspace) || queued() || cancelRefusal() !== undefined}
                aria-describedby={cancelRefusal() ? `${id}-cannot-cancel` : undefined}
                onClick={() => setOpen('cancel')}
              >
                Cancel pending release
              </button>
            </div>
            <Show when={cancelRefusal()}>
              <p id={`${id}-cannot-cancel`} class="hint">
                {cancelRefusal()}
              </p>
            </Show>
          </section>
        )}
      </Show>
      <Show when={outcome()}>
        {(said) => (
          <p class="outcome" classList={{ queued: said().kind === 'queued' }} role="status">
            {said().text}
          </p>
        )}
      </Show>
      <Show when={open() === 'reschedule' && pending()}>
        {(release) => (
          <RescheduleDialog
            workspace={props.workspace}
            number={release().number}
            current={release().releaseOnDate ?? ''}
            onCancel={() => setOpen(undefined)}
            onOk={async (date) => finish(await props.workspace.rescheduleRelease(props.packId, date))}
          />
        )}
      </Show>
      <Show when={open() === 'notes' && pending()}>
        {(release) => (
          <NotesDialog
            number={release().number}
            current={release().notes ?? ''}
            onCancel={() => setOpen(undefined)}
            onOk={async (notes) => finish(await props.workspace.changeReleaseNotes(props.packId, notes))}
          />
        )}
      </Show>
      <Show when={open() === 'cancel' && pending()}>
        {(release) => (
          <ConfirmDialog
            title="Cancel pending release"
            destructive
            onCancel={() => setOpen(undefined)}
            onConfirm={async () => finish(await props.workspace.cancelRelease(props.packId))}
          >
            <p>
              Cancel release {release().number}, pending until {formatDate(release().releaseOnDate ?? '', style())}?
            </p>
            <p>
              {waiting() > 0
                ? `The ${countOf(waiting(), Noun.installation)} waiting for it keep the release they run.`
                : 'No installation is waiting for it.'}{' '}
              <strong>Cancelling cannot be undone;</strong> release again to offer it anew.
            </p>
          </ConfirmDialog>
        )}
      </Show>
    </>
  );
}

/** Reschedule Release N: a new Release Date after today, checked as it is typed with the server's rule. */
function RescheduleDialog(props: {
  workspace: Workspace;
  number: number;
  current: string;
  onOk: (date: string) => Promise<string | undefined>;
  onCancel: () => void;
}) {
  const id = createUniqueId();
  const [date, setDate] = createSignal(props.current);
  const [failure, setFailure] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const style = () => dateStyleOf(props.workspace.account());
  const timeZone = () => publisherTimeZone(props.workspace.account());
  const firstDate = () => nextCalendarDay(todayIn(timeZone(), new Date()));
  const check = () => validateReleaseDate(date(), timeZone(), new Date());
  const dateError = () => {
    const checked = check();
    return date() === '' || checked.ok ? undefined : checked.error.message;
  };
  const unchanged = () => date() === props.current;

  const ok = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const problem = await props.onOk(date());
      if (problem) setFailure(problem);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={`Reschedule release ${props.number}`} onClose={props.onCancel}>
      <div class="field">
        <label for={id}>Release Date</label>
        <input
          id={id}
          type="date"
          min={firstDate()}
          required
          value={date()}
          autofocus
          onClick={(event) => openPicker(event.currentTarget)}
          onInput={(event) => setDate(event.currentTarget.value)}
          aria-invalid={dateError() ? 'true' : undefined}
          aria-describedby={`${id}-hint${dateError() ? ` ${id}-error` : ''}`}
        />
        <Show when={dateError()}>
          <p id={`${id}-error`} class="field-error" role="alert">
            {dateError()}
          </p>
        </Show>
        <p id={`${id}-hint`} class="hint">
          Now {formatDate(props.current, style())}. From {formatDate(firstDate(), style())}: at the start of the new date (
          {style().timeZone}) the update is applied to every installation that has not applied it.
        </p>
      </div>
      <DialogActions error={failure()} okDisabled={busy() || unchanged() || !check().ok} onOk={ok} onCancel={props.onCancel} />
    </Dialog>
  );
}

/** Edit release notes of Release N: the notes it goes out with (emptied: none). */
function NotesDialog(props: {
  number: number;
  current: string;
  onOk: (notes: string) => Promise<string | undefined>;
  onCancel: () => void;
}) {
  const [notes, setNotes] = createSignal(props.current);
  const [failure, setFailure] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const unchanged = () => notes().trim() === props.current;
  const ok = async () => {
    setBusy(true);
    setFailure(undefined);
    try {
      const problem = await props.onOk(notes());
      if (problem) setFailure(problem);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog title={`Release notes of release ${props.number}`} onClose={props.onCancel}>
      <ReleaseNotesField
        value={notes()}
        onInput={setNotes}
        autofocus
        hint="Shown in History and Rollout, to managed accounts with the update, and in the browser extension's reminder. Empty removes them."
      />
      <DialogActions
        error={failure()}
        okDisabled={busy() || unchanged() || releaseNotesError(notes()) !== undefined}
        onOk={ok}
        onCancel={props.onCancel}
      />
    </Dialog>
  );
}
