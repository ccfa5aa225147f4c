/** A confirmation: a sentence, OK and Cancel. OK may run a command; its error shows inline. */
import { createSignal, Show, type JSX } from 'solid-js';
import { Dialog } from './Dialog.tsx';

export interface ConfirmDialogProps {
  title: string;
  children: JSX.Element;
  /** Runs on OK; a returned string is an error to show, and the dialog stays open. */
  onConfirm: () => Promise<string | undefined>;
  onCancel: () => void;
}

export function ConfirmDialog(props: ConfirmDialogProps) {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string>();

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const problem = await props.onConfirm();
      if (problem) setError(problem);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={props.title} onClose={props.onCancel}>
      <div class="dialog-body">{props.children}</div>
      <Show when={error()}>
        <p class="error" role="alert">
          {error()}
        </p>
      </Show>
      <div class="dialog-actions">
        <button type="button" class="primary" disabled={busy()} onClick={confirm}>
          OK
        </button>
        {/* Cancel has focus first: OK runs a change that cannot always be undone. */}
        <button type="button" autofocus onClick={() => props.onCancel()}>
          Cancel
        </button>
      </div>
    </Dialog>
  );
}
