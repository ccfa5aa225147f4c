/** "Delete Integration Pack" and its confirmation, which says what deletion does to installed accounts. */
import { createSignal, Show } from 'solid-js';
import type { Workspace } from '../../core/api.ts';
import { ConfirmDialog } from '../dialogs/ConfirmDialog.tsx';
import { outcomeText, reachText } from '../format.ts';

export function DeletePack(props: { workspace: Workspace; packId: string; onDeleted: () => void }) {
  const [open, setOpen] = createSignal(false);
  const [message, setMessage] = createSignal<string>();
  const name = () => props.workspace.pack(props.packId)()?.name ?? 'this integration pack';
  const reach = () => props.workspace.rollout(props.packId)();

  const confirm = async (): Promise<string | undefined> => {
    const result = await props.workspace.deletePack(props.packId);
    if (!result.ok) return result.error.message;
    const outcome = outcomeText(result.value);
    if (!outcome.ok) return outcome.text;
    setOpen(false);
    if (result.value.queued) setMessage(outcome.text);
    else props.onDeleted();
    return undefined;
  };

  return (
    <>
      <button type="button" class="danger" onClick={() => setOpen(true)}>
        <span aria-hidden="true" class="icon">
          ✕
        </span>{' '}
        Delete Integration Pack
      </button>
      <Show when={message()}>
        <p class="outcome queued" role="status">
          {message()}
        </p>
      </Show>
      <Show when={open()}>
        <ConfirmDialog title="Delete Integration Pack" destructive onConfirm={confirm} onCancel={() => setOpen(false)}>
          <p>
            Delete <strong>{name()}</strong>?
          </p>
          <p>
            <Show
              when={(reach()?.instances ?? 0) > 0}
              fallback={<>It is not installed in any managed account, so no installation is affected.</>}
            >
              It will be uninstalled from every managed account where it is installed (
              {reachText(reach()?.instances ?? 0, reach()?.accounts ?? 0)}), and any Atoms or environments attached to it are detached.
            </Show>
          </p>
          <p>
            <strong>Deleting cannot be undone.</strong>
          </p>
        </ConfirmDialog>
      </Show>
    </>
  );
}
