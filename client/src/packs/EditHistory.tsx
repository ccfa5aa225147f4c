/**
 * A pack's Name and Description history: who changed which, when, from what to what, newest first,
 * and (for admins) Restore, which saves the old value as an ordinary edit: it goes through the same
 * update path, shows up here itself, and the pack's Undo takes it back. The entries are served by
 * the server (they are not in the document), kept on this device so they read offline, and fetched
 * again whenever the pack's name or description changed and the change is stored.
 */
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import type { Workspace } from '../../core/api.ts';
import { EDITS_KEPT } from '../../core/pages.ts';
import { dateStyleOf, formatDateTime } from '../../../shared/date-format.ts';
import {
  FIELD_LABEL,
  QUOTED_VALUE_CHARS,
  quoteValue,
  restoredFields,
  restoreLabel,
  type EditedField,
  type PackEditRecord,
} from '../../../shared/pack-edits.ts';
import { canEdit } from '../WorkspaceContext.tsx';
import '../managed/managed.css';
import './edit-history.css';

const cut = (value: string) => [...value].length > QUOTED_VALUE_CHARS;

export function EditHistory(props: { workspace: Workspace; packId: string }) {
  const edits = () => props.workspace.packEdits(props.packId)();
  const pack = () => props.workspace.pack(props.packId)();
  const state = () => props.workspace.pageState('edits', props.packId)();
  const style = () => dateStyleOf(props.workspace.account());
  const offline = () => props.workspace.status().state === 'offline';
  const [restored, setRestored] = createSignal<{ ok: boolean; message: string; field?: EditedField; value?: string }>();
  // A restore's message holds while the field still says what it restored (an Undo or a later edit ends it).
  const outcome = () => {
    const last = restored();
    return last && (!last.ok || pack()?.[last.field!] === last.value) ? last : undefined;
  };

  // The server records an edit in the commit that stores it: once everything is stored, it is there.
  createEffect(
    on([() => pack()?.name, () => pack()?.description, () => props.workspace.status().state === 'saved'], ([, , stored]) => {
      if (stored) void props.workspace.refreshEdits(props.packId);
    }),
  );

  const restore = async (edit: PackEditRecord) => {
    const current = pack();
    const fields = current && restoredFields(current, edit);
    if (!current || !fields) return;
    const result = await props.workspace.savePack(props.packId, fields);
    setRestored(
      result.ok
        ? {
            ok: true,
            field: edit.field,
            value: fields[edit.field],
            message: `${FIELD_LABEL[edit.field]} restored to ${quoteValue(edit.oldValue)} (it was ${quoteValue(current[edit.field])}). Undo takes it back.`,
          }
        : { ok: false, message: result.error.message },
    );
  };

  return (
    // Not a named region: its name would hold "Description" and "history", which the Description
    // field's label and the History region's name already are (getByLabel / getByRole find by substring).
    <section class="card history edit-history">
      <h3 class="section-title">Name and Description history</h3>
      <Show
        when={edits().length > 0}
        fallback={
          <p class="muted">
            {state().loaded || offline() ? 'No edits of the name or description yet.' : 'Loading the name and description history…'}
          </p>
        }
      >
        <ol class="history-list">
          <For each={edits()}>
            {(edit) => (
              <li class="history-item edit-entry">
                <span class="edit-change">
                  <strong>{FIELD_LABEL[edit.field]}</strong>: <span class="edit-old">{quoteValue(edit.oldValue)}</span>{' '}
                  <span aria-hidden="true">→</span>
                  <span class="visually-hidden">changed to</span> <span class="edit-new">{quoteValue(edit.newValue)}</span>
                </span>
                <Show when={cut(edit.oldValue) || cut(edit.newValue)}>
                  <details class="edit-full">
                    <summary>Full text</summary>
                    <p class="edit-value">
                      <span class="edit-label">Before:</span> {edit.oldValue}
                    </p>
                    <p class="edit-value">
                      <span class="edit-label">After:</span> {edit.newValue}
                    </p>
                  </details>
                </Show>
                <span class="history-meta">
                  {edit.actor} · <time datetime={edit.at}>{formatDateTime(edit.at, style())}</time>
                </span>
                <Show when={canEdit(props.workspace)}>
                  <span class="edit-actions">
                    {/* Named by its text, not aria-label: getByLabel('Description') must find the field alone. */}
                    <button type="button" disabled={!pack() || pack()![edit.field] === edit.oldValue} onClick={() => void restore(edit)}>
                      Restore<span class="visually-hidden">{restoreLabel(edit).slice('Restore'.length)}</span>
                    </button>
                    <Show when={pack()?.[edit.field] === edit.oldValue}>
                      <span class="muted">This is the {edit.field} now.</span>
                    </Show>
                  </span>
                </Show>
              </li>
            )}
          </For>
        </ol>
      </Show>
      <p class={outcome()?.ok === false ? 'error' : 'muted page-status'} role="status">
        {outcome()?.message}
      </p>
      <p class="muted page-status" aria-live="polite">
        <Show when={offline() && state().loaded}>Offline: these are the edits this device loaded last.</Show>
        <Show when={!offline() && state().error}>{state().error}</Show>
        <Show when={state().loaded && !state().complete}>{`Showing the ${EDITS_KEPT} newest edits.`}</Show>
      </p>
    </section>
  );
}
