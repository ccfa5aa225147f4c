/**
 * Integration Pack Name, Integration Pack Type, Description, Save and Delete Integration Pack of one
 * pack, or of a new one (packId undefined). What the person types is kept as a draft on this device
 * (client/core/drafts.ts) until Save or Discard changes: switching packs or reloading loses nothing.
 */
import { createEffect, createMemo, createResource, createSignal, createUniqueId, on, onCleanup, Show } from 'solid-js';
import type { PackDraft, PackListItem, Workspace } from '../../core/api.ts';
import { limits } from '../../../shared/limits.ts';
import { InstallationType } from '../../../shared/model.ts';
import { nameKey } from '../../../shared/names.ts';
import type { RuleError } from '../../../shared/result.ts';
import { validateDescription } from '../../../shared/rules.ts';
import { graphemeCount } from '../../../shared/text.ts';
import { canEdit } from '../WorkspaceContext.tsx';
import { DeletePack } from './DeletePack.tsx';
import { createDraft, type Draft } from './drafts.ts';
import { bindTextHistory, TextHistory } from './text-history.ts';
import { TypeChoice } from './TypeChoice.tsx';

export interface PackEditorProps {
  workspace: Workspace;
  packId: string | undefined;
  onCreated: (packId: string) => void;
  onDeleted: () => void;
}

/** Reads the pack's draft first (a few milliseconds), so the form starts from it. */
export function PackEditor(props: PackEditorProps) {
  const [kept] = createResource(
    () => ({ packId: props.packId }),
    ({ packId }) => props.workspace.loadDraft(packId).catch(() => undefined),
  );
  return (
    <Show when={kept.state === 'ready'}>
      <PackForm {...props} restored={kept()} />
    </Show>
  );
}

function PackForm(props: PackEditorProps & { restored: PackDraft | undefined }) {
  const ids = { name: createUniqueId(), description: createUniqueId(), count: createUniqueId() };
  const pack = createMemo(() => (props.packId === undefined ? undefined : props.workspace.pack(props.packId)()));
  const isNew = () => props.packId === undefined;
  const editable = () => canEdit(props.workspace);
  const restored = props.restored;
  const name = createDraft(() => pack()?.name, restored && { value: restored.name, base: restored.base.name });
  const description = createDraft(() => pack()?.description, restored && { value: restored.description, base: restored.base.description });
  const [newType, setNewType] = createSignal<InstallationType>(restored?.installationType ?? InstallationType.SINGLE);
  const type = () => pack()?.installationType ?? newType();
  const [error, setError] = createSignal<RuleError>();
  const [saving, setSaving] = createSignal(false);
  const count = () => graphemeCount(description.value());
  const tooLong = () => !validateDescription(description.value()).ok;
  const fieldError = (field: string) => (error()?.field === field ? error()?.message : undefined);
  const dirty = () => name.dirty() || description.dirty() || (isNew() && newType() !== InstallationType.SINGLE);
  // Keyed once per change of the list, then looked up per keystroke (10,000 packs), and only once the
  // name is edited: a memo keyed every name when a pack opened (5-10 ms of the click, bench/cold-start).
  let keyed: { packs: readonly PackListItem[]; byKey: Map<string, string[]> } | undefined;
  const packsByName = () => {
    const packs = props.workspace.packs();
    if (keyed?.packs !== packs) keyed = { packs, byKey: idsByNameKey(packs) };
    return keyed.byKey;
  };
  const sameName = () => (name.dirty() ? (packsByName().get(nameKey(name.value())) ?? []).filter((id) => id !== props.packId) : []);

  // Every change is kept as a draft; none left means the draft is over.
  createEffect(
    on(
      [name.value, description.value, newType],
      () =>
        props.workspace.keepDraft(
          props.packId,
          dirty()
            ? {
                name: name.value(),
                description: description.value(),
                base: { name: name.base(), description: description.base() },
                ...(isNew() ? { installationType: newType() } : {}),
                keptAt: new Date().toISOString(),
              }
            : undefined,
        ),
      { defer: true },
    ),
  );

  /** The field's own text undo (text-history.ts), fed by the draft when the value changes from elsewhere. */
  const withTextHistory = (field: HTMLInputElement | HTMLTextAreaElement, draft: Draft) => {
    const history = new TextHistory(draft.value());
    createEffect(on(draft.value, (value) => history.replaced(value), { defer: true }));
    onCleanup(bindTextHistory(field, history, draft.set));
  };

  const discard = () => {
    name.discard();
    description.discard();
    setNewType(InstallationType.SINGLE);
    setError(undefined);
    props.workspace.keepDraft(props.packId, undefined);
  };

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(undefined);
    try {
      if (props.packId === undefined) {
        const result = await props.workspace.addPack({ name: name.value(), description: description.value(), installationType: type() });
        if (!result.ok) return setError(result.error);
        props.workspace.keepDraft(undefined, undefined);
        props.onCreated(result.value);
      } else {
        const saved = { name: name.value().trim(), description: description.value() };
        const result = await props.workspace.savePack(props.packId, saved);
        if (!result.ok) return setError(result.error);
        name.commit(saved.name);
        description.commit(saved.description);
        props.workspace.keepDraft(props.packId, undefined);
      }
    } finally {
      setSaving(false);
    }
  };

  return (
    <form class="pack-form" onSubmit={save} novalidate>
      <fieldset disabled={!editable()} class="plain">
        <div class="field-row">
          <div class="field name-field">
            <label for={ids.name}>Integration Pack Name</label>
            <input
              ref={(field) => withTextHistory(field, name)}
              id={ids.name}
              type="text"
              autocomplete="off"
              required
              value={name.value()}
              onInput={(event) => name.set(event.currentTarget.value)}
              aria-invalid={fieldError('name') ? 'true' : undefined}
              aria-describedby={fieldError('name') ? `${ids.name}-error` : sameName().length > 0 ? `${ids.name}-same` : undefined}
            />
            <Show when={fieldError('name')}>
              <p id={`${ids.name}-error`} class="field-error">
                {fieldError('name')}
              </p>
            </Show>
            <Show when={sameName().length > 0}>
              <p id={`${ids.name}-same`} class="warning-hint" role="status">
                {sameName().length === 1
                  ? 'Another integration pack already has this name.'
                  : `${sameName().length} other integration packs already have this name.`}{' '}
                Names may repeat, but admins and managed accounts will find them hard to tell apart.
              </p>
            </Show>
            <Show when={name.changedElsewhere()}>
              <p class="hint">Someone else changed the name while you were editing it. Save keeps yours.</p>
            </Show>
          </div>

          <TypeChoice
            account={props.workspace.account()}
            isNew={isNew()}
            value={type()}
            onChange={setNewType}
            error={fieldError('installationType')}
          />
        </div>

        <div class="field">
          <div class="label-row">
            <label for={ids.description}>Description</label>
            <span id={ids.count} classList={{ counter: true, over: tooLong() }}>
              {count()} / {limits.descriptionMaxLength}
            </span>
          </div>
          <textarea
            ref={(field) => withTextHistory(field, description)}
            id={ids.description}
            rows="3"
            value={description.value()}
            onInput={(event) => description.set(event.currentTarget.value)}
            aria-invalid={tooLong() || fieldError('description') ? 'true' : undefined}
            aria-describedby={`${ids.count}${fieldError('description') ? ` ${ids.description}-error` : ''}`}
          />
          <Show when={fieldError('description')}>
            <p id={`${ids.description}-error`} class="field-error">
              {fieldError('description')}
            </p>
          </Show>
          <Show when={description.changedElsewhere()}>
            <p class="hint">Someone else changed the description while you were editing it. Save keeps yours.</p>
          </Show>
        </div>

        <Show when={error() && !error()?.field}>
          <p class="error" role="alert">
            {error()?.message}
          </p>
        </Show>

        <Show when={editable() && dirty()}>
          <p class="hint draft-note" role="status">
            Not saved yet: your changes are kept on this device until you Save or discard them.
          </p>
        </Show>
        <div class="form-actions">
          <button type="submit" class="primary" disabled={saving() || (!isNew() && !name.dirty() && !description.dirty())}>
            Save
          </button>
          <Show when={editable() && dirty()}>
            <button type="button" onClick={discard}>
              Discard changes
            </button>
          </Show>
          <Show when={props.packId === undefined ? undefined : { id: props.packId }}>
            {(pack) => <DeletePack workspace={props.workspace} packId={pack().id} onDeleted={props.onDeleted} />}
          </Show>
        </div>
      </fieldset>
    </form>
  );
}

/** Pack ids by name key (names that read the same share one). */
function idsByNameKey(packs: readonly PackListItem[]): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const item of packs) {
    const key = nameKey(item.name);
    const ids = byKey.get(key);
    if (ids) ids.push(item.id);
    else byKey.set(key, [item.id]);
  }
  return byKey;
}
