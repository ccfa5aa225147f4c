/**
 * A text field's own undo history. The browser's text undo replays edits against whatever the field
 * holds now; once the app has changed the value underneath (Undo/Redo of the app, another admin's
 * edit, a restored draft) that mixes two texts — paste-replace, Save, Undo, Redo, Ctrl+Z once gave
 * "Multi v2Multi" — or silently does nothing. So the fields of the pack form keep a timeline of the
 * values they showed, and Ctrl/Cmd+Z, Shift+Z (and the browser's Undo menu) step through it.
 */

/** Typing and deleting character by character count as one step, as in the browser's own undo. */
const COALESCED = new Set(['insertText', 'deleteContentBackward', 'deleteContentForward']);
const MAX_STEPS = 200;

export class TextHistory {
  private values: string[];
  private index = 0;
  private lastKind: string | undefined;

  constructor(initial: string) {
    this.values = [initial];
  }

  get current(): string {
    return this.values[this.index]!;
  }

  /** The person changed the text (`kind` is the InputEvent's inputType). */
  edited(value: string, kind: string): void {
    if (value === this.current) return;
    if (kind === this.lastKind && COALESCED.has(kind) && this.index > 0 && this.index === this.values.length - 1) {
      this.values[this.index] = value;
      return;
    }
    this.push(value);
    this.lastKind = kind;
  }

  /** The value changed under the field (not typed here): it is a step of its own. */
  replaced(value: string): void {
    if (value === this.current) return;
    this.push(value);
    this.lastKind = undefined;
  }

  /** The value one step back, or undefined at the start. */
  undo(): string | undefined {
    if (this.index === 0) return undefined;
    this.index -= 1;
    this.lastKind = undefined;
    return this.current;
  }

  redo(): string | undefined {
    if (this.index >= this.values.length - 1) return undefined;
    this.index += 1;
    this.lastKind = undefined;
    return this.current;
  }

  private push(value: string): void {
    this.values = this.values.slice(0, this.index + 1);
    this.values.push(value);
    if (this.values.length > MAX_STEPS) this.values.shift();
    this.index = this.values.length - 1;
  }
}

/**
 * Wires a field to its history: records the person's input, takes over the browser's undo and redo
 * (keys and the Undo menu's `historyUndo`), and applies a step through `set` (the form's draft).
 * `replaced` must be called when the value changes from elsewhere. Returns the detach function.
 */
export function bindTextHistory(
  field: HTMLInputElement | HTMLTextAreaElement,
  history: TextHistory,
  set: (value: string) => void,
): () => void {
  const apply = (value: string | undefined) => {
    if (value === undefined) return;
    set(value);
    field.value = value;
    field.setSelectionRange(value.length, value.length);
  };
  const onInput = (event: Event) => {
    const kind = event instanceof InputEvent ? event.inputType : 'insertText';
    if (kind === 'historyUndo' || kind === 'historyRedo') return;
    history.edited(field.value, kind);
  };
  const onBeforeInput = (event: InputEvent) => {
    if (event.inputType !== 'historyUndo' && event.inputType !== 'historyRedo') return;
    event.preventDefault();
    apply(event.inputType === 'historyUndo' ? history.undo() : history.redo());
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (!(event.ctrlKey || event.metaKey) || event.altKey) return;
    const key = event.key.toLowerCase();
    if (key !== 'z' && key !== 'y') return;
    event.preventDefault();
    apply(key === 'y' || event.shiftKey ? history.redo() : history.undo());
  };
  const element: HTMLElement = field;
  element.addEventListener('input', onInput);
  element.addEventListener('beforeinput', onBeforeInput);
  element.addEventListener('keydown', onKeyDown);
  return () => {
    element.removeEventListener('input', onInput);
    element.removeEventListener('beforeinput', onBeforeInput);
    element.removeEventListener('keydown', onKeyDown);
  };
}
