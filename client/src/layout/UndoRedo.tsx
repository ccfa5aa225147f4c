/**
 * Undo and Redo of the pack on screen, saying what they will do ("Undo description of Finance Close
 * Toolkit"). Outside text fields Ctrl/Cmd+Z undoes and Ctrl/Cmd+Shift+Z (or Ctrl+Y) redoes; inside
 * a field those keys are the field's own text undo (packs/text-history.ts). Nothing else is undone:
 * adding, deleting and releasing say so in the buttons' description.
 */
import { createUniqueId, onCleanup, onMount } from 'solid-js';
import { useLocation } from '@solidjs/router';
import type { Workspace } from '../../core/api.ts';
import { packIdOfSegment } from '../../../shared/pack-route.ts';

const NOT_UNDOABLE =
  'Undo and Redo cover your changes to the name, description and components of the pack on screen. Adding, deleting and releasing cannot be undone.';

/** The pack the page shows, from /packs/:id (not /packs/new). */
export function packOnScreen(pathname: string): string | undefined {
  const match = /^\/packs\/([^/]+)\/?$/.exec(pathname);
  return match ? packIdOfSegment(match[1]) : undefined;
}

/** Where Ctrl+Z belongs to the text, not to the app. */
const isTextEntry = (target: EventTarget | null): boolean =>
  target instanceof HTMLElement &&
  (target.isContentEditable ||
    target instanceof HTMLTextAreaElement ||
    (target instanceof HTMLInputElement &&
      !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color'].includes(target.type)) ||
    target instanceof HTMLSelectElement);

export function UndoRedo(props: { workspace: Workspace }) {
  const location = useLocation();
  const hintId = createUniqueId();
  const packId = () => packOnScreen(location.pathname);
  const steps = () => {
    const id = packId();
    return id === undefined ? {} : props.workspace.undoSteps(id)();
  };
  const undo = () => {
    const id = packId();
    if (id !== undefined && steps().undo) props.workspace.undo(id);
  };
  const redo = () => {
    const id = packId();
    if (id !== undefined && steps().redo) props.workspace.redo(id);
  };

  onMount(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.defaultPrevented) return;
      const key = event.key.toLowerCase();
      if (key !== 'z' && key !== 'y') return;
      // Text fields keep their own undo; an open dialog is about something else.
      if (isTextEntry(event.target) || document.querySelector('dialog[open]')) return;
      event.preventDefault();
      if (key === 'y' || event.shiftKey) redo();
      else undo();
    };
    document.addEventListener('keydown', onKey);
    onCleanup(() => document.removeEventListener('keydown', onKey));
  });

  return (
    <div class="undo-redo">
      <p id={hintId} class="visually-hidden">
        {NOT_UNDOABLE}
      </p>
      <button type="button" class="ghost" disabled={!steps().undo} onClick={undo} aria-describedby={hintId} title={NOT_UNDOABLE}>
        <span aria-hidden="true">↶</span> Undo
        <span class="undo-what">{steps().undo ? ` ${steps().undo}` : ''}</span>
      </button>
      <button type="button" class="ghost" disabled={!steps().redo} onClick={redo} aria-describedby={hintId} title={NOT_UNDOABLE}>
        <span aria-hidden="true">↷</span> Redo
        <span class="undo-what">{steps().redo ? ` ${steps().redo}` : ''}</span>
      </button>
    </div>
  );
}
