/**
 * A form field that follows the stored value until the person edits it: while the draft equals the
 * last stored value it takes every new stored value (so another admin's edit shows at once); once
 * edited, it keeps the person's text and reports that the stored value moved underneath.
 */
import { createEffect, createSignal, on, type Accessor } from 'solid-js';

export interface Draft {
  value: Accessor<string>;
  set: (value: string) => void;
  /** Edited and not saved yet. */
  dirty: Accessor<boolean>;
  /** Someone else changed the stored value while this draft was edited. */
  changedElsewhere: Accessor<boolean>;
  /** After a successful save: the saved text (e.g. trimmed) is the new base, before the store reports it. */
  commit: (saved: string) => void;
}

export function createDraft(stored: Accessor<string | undefined>): Draft {
  const [value, setValue] = createSignal(stored() ?? '');
  const [base, setBase] = createSignal(stored() ?? '');
  const [changedElsewhere, setChangedElsewhere] = createSignal(false);

  createEffect(
    on(stored, (next) => {
      if (next === undefined) return;
      if (value() === base() || value() === next) {
        setValue(next);
        setChangedElsewhere(false);
      } else setChangedElsewhere(true);
      setBase(next);
    }),
  );

  return {
    value,
    set: setValue,
    dirty: () => value() !== base(),
    changedElsewhere,
    commit: (saved) => {
      setValue(saved);
      setBase(saved);
      setChangedElsewhere(false);
    },
  };
}
