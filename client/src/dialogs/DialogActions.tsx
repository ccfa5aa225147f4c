/** The foot of every dialog: the error of the last try, then OK and Cancel. */
import { Show } from 'solid-js';

export function DialogActions(props: {
  error: string | undefined;
  okDisabled: boolean;
  onOk: () => void;
  onCancel: () => void;
  /** Focus Cancel first, for an OK that runs a change that cannot always be undone. */
  cancelFirst?: boolean;
  /** OK deletes or removes something: red, not the blue of Save. */
  destructive?: boolean;
}) {
  return (
    <>
      <Show when={props.error}>
        <p class="error" role="alert">
          {props.error}
        </p>
      </Show>
      <div class="dialog-actions">
        <button
          type="button"
          class={props.destructive ? 'destructive' : 'primary'}
          disabled={props.okDisabled}
          onClick={() => props.onOk()}
        >
          OK
        </button>
        <button type="button" autofocus={props.cancelFirst} onClick={() => props.onCancel()}>
          Cancel
        </button>
      </div>
    </>
  );
}
