/**
 * The Release notes field of the release dialog and of Edit release notes: checked as it is typed
 * with the server's rule (shared/release-notes.ts), with a character count.
 */
import { createUniqueId, Show } from 'solid-js';
import { RELEASE_NOTES_MAX, validateReleaseNotes } from '../../../shared/release-notes.ts';

/** The problem with the notes as typed, or undefined when they can be sent. */
export function releaseNotesError(notes: string): string | undefined {
  const checked = validateReleaseNotes(notes);
  return checked.ok ? undefined : checked.error.message;
}

export function ReleaseNotesField(props: { value: string; onInput: (value: string) => void; hint: string; autofocus?: boolean }) {
  const id = createUniqueId();
  const error = () => releaseNotesError(props.value);
  return (
    <div class="field">
      <div class="label-row">
        <label for={id}>Release notes</label>
        <span class="counter" aria-hidden="true">
          {[...props.value.trim()].length} / {RELEASE_NOTES_MAX}
        </span>
      </div>
      <textarea
        id={id}
        rows={3}
        value={props.value}
        autofocus={props.autofocus}
        onInput={(event) => props.onInput(event.currentTarget.value)}
        aria-invalid={error() ? 'true' : undefined}
        aria-describedby={`${id}-hint${error() ? ` ${id}-error` : ''}`}
      />
      <Show when={error()}>
        <p id={`${id}-error`} class="field-error" role="alert">
          {error()}
        </p>
      </Show>
      <p id={`${id}-hint`} class="hint">
        {props.hint}
      </p>
    </div>
  );
}
