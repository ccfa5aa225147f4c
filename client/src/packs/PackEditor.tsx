/**
 * Integration Pack Name, Integration Pack Type, Description, Save and Delete Integration Pack of one
 * pack, or of a new one (packId undefined).
 */
import { createEffect, createMemo, createSignal, createUniqueId, For, on, onCleanup, Show } from 'solid-js';
import type { Workspace } from '../../core/api.ts';
import { graphemeCount } from '../../../shared/text.ts';
import { limits } from '../../../shared/limits.ts';
import {
  API_SERVICE_IN_MULTI_REASON,
  allowedInstallationTypes,
  showsInstallationTypeList,
  validateDescription,
} from '../../../shared/rules.ts';
import { InstallationType, installationTypeLabel } from '../../../shared/model.ts';
import type { RuleError } from '../../../shared/result.ts';
import { canEdit } from '../WorkspaceContext.tsx';
import { createDraft, type Draft } from './drafts.ts';
import { bindTextHistory, TextHistory } from './text-history.ts';
import { DeletePack } from './DeletePack.tsx';

export interface PackEditorProps {
  workspace: Workspace;
  packId: string | undefined;
  onCreated: (packId: string) => void;
  onDeleted: () => void;
}

export function PackEditor(props: PackEditorProps) {
  const ids = { name: createUniqueId(), description: createUniqueId(), count: createUniqueId() };
  const pack = createMemo(() => (props.packId === undefined ? undefined : props.workspace.pack(props.packId)()));
  const isNew = () => props.packId === undefined;
  const editable = () => canEdit(props.workspace);
  const name = createDraft(() => pack()?.name);
  const description = createDraft(() => pack()?.description);
  const [newType, setNewType] = createSignal<InstallationType>(InstallationType.SINGLE);
  const type = () => pack()?.installationType ?? newType();
  const [error, setError] = createSignal<RuleError>();
  const [saving, setSaving] = createSignal(false);
  const count = () => graphemeCount(description.value());
  const tooLong = () => !validateDescription(description.value()).ok;
  const fieldError = (field: string) => (error()?.field === field ? error()?.message : undefined);

  /** The field's own text undo (text-history.ts), fed by the draft when the value changes from elsewhere. */
  const withTextHistory = (field: HTMLInputElement | HTMLTextAreaElement, draft: Draft) => {
    const history = new TextHistory(draft.value());
    createEffect(on(draft.value, (value) => history.replaced(value), { defer: true }));
    onCleanup(bindTextHistory(field, history, draft.set));
  };

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setSaving(true);
    setError(undefined);
    try {
      if (props.packId === undefined) {
        const result = await props.workspace.addPack({
          name: name.value(),
          description: description.value(),
          installationType: type(),
        });
        if (result.ok) props.onCreated(result.value);
        else setError(result.error);
      } else {
        const saved = { name: name.value().trim(), description: description.value() };
        const result = await props.workspace.savePack(props.packId, saved);
        if (!result.ok) setError(result.error);
        else {
          name.commit(saved.name);
          description.commit(saved.description);
        }
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
              aria-describedby={fieldError('name') ? `${ids.name}-error` : undefined}
            />
            <Show when={fieldError('name')}>
              <p id={`${ids.name}-error`} class="field-error">
                {fieldError('name')}
              </p>
            </Show>
            <Show when={name.changedElsewhere()}>
              <p class="hint">Someone else changed the name while you were editing it. Save keeps yours.</p>
            </Show>
          </div>

          <Show when={showsInstallationTypeList(props.workspace.account() ?? { multiInstallEnabled: false })}>
            <fieldset class="field radio-group" disabled={!isNew()} aria-describedby={`${ids.name}-type-fixed`}>
              <legend>Integration Pack Type</legend>
              <div class="radio-options">
                <For each={allowedInstallationTypes(props.workspace.account() ?? { multiInstallEnabled: false })}>
                  {(option) => (
                    <label class="radio">
                      <input
                        type="radio"
                        name={`${ids.name}-type`}
                        value={option}
                        checked={type() === option}
                        onChange={() => setNewType(option)}
                      />
                      {installationTypeLabel[option]}
                    </label>
                  )}
                </For>
              </div>
              <Show
                when={!isNew()}
                fallback={
                  <p id={`${ids.name}-type-fixed`} class="hint">
                    Single Attachment: installed once per managed account. Multiple Attachments: installed as many times as an account
                    needs, each with its own name. The type cannot be changed after Save.
                  </p>
                }
              >
                <p id={`${ids.name}-type-fixed`} class="hint">
                  The type is fixed once the integration pack is added.
                </p>
              </Show>
              <Show when={isNew() && type() === InstallationType.MULTI}>
                <p class="hint">{API_SERVICE_IN_MULTI_REASON}.</p>
              </Show>
              <Show when={fieldError('installationType')}>
                <p class="field-error">{fieldError('installationType')}</p>
              </Show>
            </fieldset>
          </Show>
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

        <div class="form-actions">
          <button type="submit" class="primary" disabled={saving() || (!isNew() && !name.dirty() && !description.dirty())}>
            Save
          </button>
          <Show when={!isNew() && props.packId}>
            {(packId) => <DeletePack workspace={props.workspace} packId={packId()} onDeleted={props.onDeleted} />}
          </Show>
        </div>
      </fieldset>
    </form>
  );
}
