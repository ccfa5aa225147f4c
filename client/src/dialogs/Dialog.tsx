/**
 * A native modal <dialog>: opened with showModal() when mounted (the browser moves focus inside and
 * makes the page behind inert), closed by Escape or by unmounting, and focus goes back to the control
 * that opened it. Mount it inside <Show> to open it.
 */
import { createUniqueId, onCleanup, onMount, type JSX } from 'solid-js';

export interface DialogProps {
  title: string;
  /** Called when the person closes the dialog with Escape (or the dialog is closed otherwise). */
  onClose: () => void;
  class?: string;
  children: JSX.Element;
}

export function Dialog(props: DialogProps) {
  let dialog!: HTMLDialogElement;
  const titleId = createUniqueId();
  const opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined;
  let unmounted = false;

  onMount(() => dialog.showModal());
  onCleanup(() => {
    unmounted = true;
    if (dialog.open) dialog.close();
    // The opener may be gone or disabled (a deleted pack's button, Remove with no row selected); then
    // focus the page's main heading instead of losing focus to the body.
    const usable = opener?.isConnected && !(opener as HTMLButtonElement).disabled;
    const target = usable
      ? opener
      : (document.querySelector<HTMLElement>('.details-title') ?? document.querySelector<HTMLElement>('.pane-title'));
    target?.focus();
  });

  return (
    <dialog
      ref={dialog}
      class={`dialog ${props.class ?? ''}`}
      aria-labelledby={titleId}
      onClose={() => {
        if (!unmounted) props.onClose();
      }}
    >
      <h2 id={titleId} class="dialog-title">
        {props.title}
      </h2>
      {props.children}
    </dialog>
  );
}
