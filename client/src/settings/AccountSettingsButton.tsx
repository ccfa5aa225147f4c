/** The account's time zone, always in view, and the button that opens Account settings (loaded when first opened). */
import { createSignal, lazy, Show, Suspense } from 'solid-js';
import type { Workspace } from '../../core/api.ts';
import { dateStyleOf, zoneLabel } from '../../../shared/date-format.ts';
import type { Outcome } from '../format.ts';

const AccountSettingsDialog = lazy(() => import('./AccountSettingsDialog.tsx'));

export function AccountSettingsButton(props: { workspace: Workspace }) {
  const [open, setOpen] = createSignal(false);
  const [outcome, setOutcome] = createSignal<Outcome>();
  const zone = () => zoneLabel(dateStyleOf(props.workspace.account()).timeZone);
  return (
    <>
      <button type="button" class="ghost settings-button" onClick={() => setOpen(true)}>
        <span aria-hidden="true">⚙</span>
        <span class="settings-text">
          <span class="visually-hidden">Account settings, </span>
          <span>Time zone {zone()}</span>
        </span>
      </button>
      <Show when={outcome()}>
        {(said) => (
          <p class="outcome settings-outcome" classList={{ queued: said().kind === 'queued' }} role="status">
            {said().text}
          </p>
        )}
      </Show>
      <Show when={open()}>
        <Suspense>
          <AccountSettingsDialog
            workspace={props.workspace}
            onClose={(result) => {
              setOpen(false);
              if (result) setOutcome(result);
            }}
          />
        </Suspense>
      </Show>
    </>
  );
}
