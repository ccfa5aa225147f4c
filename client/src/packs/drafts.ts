/**
 * A form field that follows the stored value until the person edits it: while the draft equals the
 * last stored value it takes every new stored value (so another admin's edit shows at once); once
 * edited, it keeps the person's text and reports that the stored value moved underneath. A field
 * may start from a draft kept on the device (`restored`), with the stored value it was based on.
 */
import { createEffect, createSignal, on, type Accessor } from 'solid-js';

export interface Draft {
  value: Accessor<string>;
  set: (value: string) => void;
  /** The stored value the draft is based on. */
  base: Accessor<string>;
  /** Edited and not saved yet. */
  dirty: Accessor<boolean>;
  /** Someone else changed the stored value while this draft was edited. */
  changedElsewhere: Accessor<boolean>;
  /** After a successful save: the saved text (e.g. trimmed) is the new base, before the store reports it. */
  commit: (saved: string) => void;
  /** Back to the stored value. */
  discard: () => void;
}

export function createDraft(stored: Accessor<string | undefined>, restored?: { value: string; base: string }): Draft {
  const [value, setValue] = createSignal(restored?.value ?? stored() ?? '');
  const [base, setBase] = createSignal(restored?.base ?? stored() ?? '');
  const [changedElsewhere, setChangedElsewhere] = createSignal(false);

  createEffect(
    on(stored, (next) => {
      if (next === undefined) return;
      if (value() === base() || value() === next) {
        setValue(next);
        setChangedElsewhere(false);
      } else if (next !== base()) setChangedElsewhere(true);
      setBase(next);
    }),
  );

  return {
    value,
    set: setValue,
    base,
    dirty: () => value() !== base(),
    changedElsewhere,
    commit: (saved) => {
      setValue(saved);
      setBase(saved);
      setChangedElsewhere(false);
    },
    discard: () => {
      setValue(stored() ?? base());
      setBase(stored() ?? base());
      setChangedElsewhere(false);
    },
  };
}
