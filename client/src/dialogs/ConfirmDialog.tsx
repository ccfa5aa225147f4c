/** A confirmation: a sentence, OK and Cancel. OK may run a command; its error shows inline. */
import { createSignal, type JSX } from 'solid-js';
import { Dialog } from './Dialog.tsx';
import { DialogActions } from './DialogActions.tsx';

export interface ConfirmDialogProps {
  title: string;
  children: JSX.Element;
  /** Runs on OK; a returned string is an error to show, and the dialog stays open. */
  onConfirm: () => Promise<string | undefined>;
  onCancel: () => void;
  /** OK destroys something (delete, remove, uninstall): it is red. */
  destructive?: boolean;
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
      <DialogActions
        error={error()}
        okDisabled={busy()}
        onOk={confirm}
        onCancel={props.onCancel}
        cancelFirst
        destructive={props.destructive === true}
      />
    </Dialog>
  );
}
