/**
 * The "Published Components" dialog: Filter Components (partial match as you type), Clear filters, a
 * checkbox per component named by the component, OK and Cancel. Components already in the pack show
 * checked and disabled; in a Multiple Attachments pack API Service components are disabled with the
 * reason. Big catalogs render the first rows only and ask for a narrower filter. Each row shows the
 * component's latest version (the one a release takes); "n selected" counts what OK will add, also
 * rows the filter hides; Select all chooses every match that may be added. The list keeps one height
 * whatever the filter matches, so the dialog does not move while the person types.
 */
import { createEffect, createMemo, createSignal, createUniqueId, For, Show } from 'solid-js';
import type { Workspace } from '../../core/api.ts';
import { componentTypeLabel, InstallationType, type PublishedComponent } from '../../../shared/model.ts';
import { API_SERVICE_IN_MULTI_REASON, latestVersion, validateComponentForPack } from '../../../shared/rules.ts';
import { countOf, Noun } from '../../../shared/words.ts';
import { Dialog } from './Dialog.tsx';
import { DialogActions } from './DialogActions.tsx';

/** Enough rows to scroll through; the rest are reached by filtering. */
export const MAX_ROWS = 300;

export default function PublishedComponentsDialog(props: { workspace: Workspace; packId: string; onClose: () => void }) {
  const ids = { filter: createUniqueId(), reason: createUniqueId() };
  const [filter, setFilter] = createSignal('');
  const [chosen, setChosen] = createSignal<ReadonlySet<string>>(new Set());
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);
  const pack = () => props.workspace.pack(props.packId)();
  const inPack = createMemo(() => new Set(pack()?.componentIds ?? []));
  const isMulti = () => pack()?.installationType === InstallationType.MULTI;
  const matches = createMemo(() => props.workspace.filterComponents(filter()));
  const shown = () => matches().slice(0, MAX_ROWS);
  const blocked = (component: PublishedComponent) =>
    !validateComponentForPack(pack()?.installationType ?? InstallationType.SINGLE, component).ok;
  const selectable = createMemo(() => matches().filter((component) => !inPack().has(component.id) && !blocked(component)));
  const allChosen = () => selectable().length > 0 && selectable().every((component) => chosen().has(component.id));
  const someChosen = () => !allChosen() && selectable().some((component) => chosen().has(component.id));
  const selectAll = (on: boolean) => {
    const next = new Set(chosen());
    for (const component of selectable()) {
      if (on) next.add(component.id);
      else next.delete(component.id);
    }
    setChosen(next);
  };
  let filterInput!: HTMLInputElement;

  const toggle = (componentId: string, on: boolean) => {
    const next = new Set(chosen());
    if (on) next.add(componentId);
    else next.delete(componentId);
    setChosen(next);
  };

  const add = async () => {
    if (chosen().size === 0) return props.onClose();
    setBusy(true);
    setError(undefined);
    try {
      const result = await props.workspace.addComponents(props.packId, [...chosen()]);
      if (result.ok) props.onClose();
      else setError(result.error.message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title="Published Components" class="components-dialog" onClose={props.onClose}>
      <div class="filter-row">
        <label for={ids.filter}>Filter Components</label>
        <div class="filter-input">
          <input
            ref={filterInput}
            id={ids.filter}
            type="text"
            autocomplete="off"
            autofocus
            value={filter()}
            onInput={(event) => setFilter(event.currentTarget.value)}
          />
          <button
            type="button"
            class="clear-filter"
            aria-label="Clear filters"
            title="Clear filters"
            disabled={filter() === ''}
            onClick={() => {
              setFilter('');
              filterInput.focus();
            }}
          >
            <span aria-hidden="true">✕</span>
          </button>
        </div>
      </div>
      <Show when={isMulti()}>
        <p id={ids.reason} class="hint">
          {API_SERVICE_IN_MULTI_REASON}.
        </p>
      </Show>
      <div class="match-row">
        <label class="select-all">
          <input
            type="checkbox"
            checked={allChosen()}
            ref={(box) => createEffect(() => (box.indeterminate = someChosen()))}
            disabled={selectable().length === 0}
            onChange={(event) => selectAll(event.currentTarget.checked)}
          />
          Select all
        </label>
        <p class="muted match-count" aria-live="polite">
          {countOf(matches().length, Noun.component)} · <strong>{chosen().size} selected</strong>
        </p>
      </div>
      {/* Focusable, so the list scrolls by keyboard even when every row in view is disabled. */}
      <div class="component-list" role="group" aria-label="Components" tabindex="0">
        <For each={shown()} fallback={<p class="muted">No component matches “{filter()}”.</p>}>
          {(component) => {
            const already = () => inPack().has(component.id);
            const disabled = () => already() || blocked(component);
            return (
              <div classList={{ 'component-row': true, disabled: disabled() }}>
                <label>
                  <input
                    type="checkbox"
                    checked={already() || chosen().has(component.id)}
                    disabled={disabled()}
                    aria-describedby={blocked(component) && !already() ? ids.reason : undefined}
                    onChange={(event) => toggle(component.id, event.currentTarget.checked)}
                  />
                  <span class="component-name">{component.name}</span>
                </label>
                <span class="component-meta">
                  {componentTypeLabel[component.type]}{' '}
                  <Show when={latestVersion(component)}>{(version) => <> · Version {version()}</>}</Show>
                  <Show when={already()}> · in the pack</Show>
                  <Show when={!already() && blocked(component)}> · not allowed here</Show>
                </span>
              </div>
            );
          }}
        </For>
        <Show when={matches().length > MAX_ROWS}>
          <p class="more">{matches().length - MAX_ROWS} more — refine the filter</p>
        </Show>
      </div>
      <DialogActions error={error()} okDisabled={busy()} onOk={add} onCancel={props.onClose} />
    </Dialog>
  );
}
