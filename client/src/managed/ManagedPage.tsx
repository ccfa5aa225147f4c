/**
 * A managed account's page (/managed): the integration packs installed in it with their Version and
 * Pending Version (and the date it is applied automatically), "Apply update" (cannot be undone),
 * install (single attachment once, multiple attachments each with a name), uninstall, and attach or
 * detach Atoms and environments. It reads the ManagedWorkspace (client/core/managed.ts): the last view
 * this device received, also offline; every action is a command, queued while offline.
 */
import { createEffect, createSignal, onCleanup, onMount, Show } from 'solid-js';
import type { Command } from '../../../shared/commands.ts';
import { dateStyleOf, formatDate } from '../../../shared/date-format.ts';
import { installationTypeLabel } from '../../../shared/model.ts';
import type { ManagedInstanceView } from '../../../shared/rollout.ts';
import type { ManagedWorkspace } from '../../core/api.ts';
import { ConfirmDialog } from '../dialogs/ConfirmDialog.tsx';
import { outcomeText, type Outcome } from '../format.ts';
import { AttachForm } from './AttachForm.tsx';
import { InstalledTable } from './InstalledTable.tsx';
import { InstallList } from './InstallList.tsx';
import { commandText, instanceName, managedStatusText } from './words.ts';
import './managed.css';

export { instanceName };

type Pending = { kind: 'apply' | 'uninstall'; instance: ManagedInstanceView };

export function ManagedPage(props: { workspace: ManagedWorkspace }) {
  const workspace = () => props.workspace;
  const view = () => workspace().view();
  // The publisher's zone and locale: a pending date is a day there (shared/date-format.ts).
  const date = (day: string | undefined) => (day ? formatDate(day, dateStyleOf(view())) : '');
  const [outcome, setOutcome] = createSignal<Outcome>();
  const [busy, setBusy] = createSignal(false);
  const [confirming, setConfirming] = createSignal<Pending>();

  onMount(() => {
    const onVisible = () => document.visibilityState === 'visible' && void workspace().refresh();
    document.addEventListener('visibilitychange', onVisible);
    onCleanup(() => document.removeEventListener('visibilitychange', onVisible));
  });

  /** Runs (or queues) a command and shows its sentence; returns the server's refusal, if any. */
  // "Queued" is true until that command leaves the outbox (its answer then shows as a notice).
  const [queuedKey, setQueuedKey] = createSignal<{ key: string; seen: boolean }>();
  createEffect(() => {
    const queued = queuedKey();
    if (!queued) return;
    const waiting = workspace()
      .pendingCommands()
      .some((row) => row.idempotencyKey === queued.key);
    if (waiting && !queued.seen) setQueuedKey({ ...queued, seen: true });
    else if (!waiting && queued.seen) {
      setQueuedKey(undefined);
      if (outcome()?.kind === 'queued') setOutcome(undefined);
    }
  });

  const send = async (command: Command): Promise<string | undefined> => {
    setBusy(true);
    try {
      const result = await workspace().command(command);
      const said = outcomeText(result);
      setOutcome(said);
      setQueuedKey(result.queued ? { key: result.idempotencyKey, seen: false } : undefined);
      return said.kind === 'refused' ? said.text : undefined;
    } finally {
      setBusy(false);
    }
  };

  const queuedFor = (instanceId: string) =>
    workspace()
      .pendingCommands()
      .map(({ command }) => command)
      .filter((command) => 'instanceId' in command && command.instanceId === instanceId);
  const status = () => managedStatusText(workspace().status(), view(), workspace().viewAt(), workspace().pendingCommands().length);

  return (
    <main class="managed-page">
      <header class="managed-head">
        <h1 tabindex="-1">Installed integration packs</h1>
        <Show when={view()}>{(data) => <p class="muted">Managed account {data().managedAccountName}</p>}</Show>
        <p class="sync-status" data-state={workspace().status().state} role="status" aria-label="Sync status">
          <span class="sync-dot" aria-hidden="true" />
          <span>{status()}</span>
        </p>
      </header>

      <p
        class="managed-outcome"
        classList={{ error: outcome()?.kind === 'refused', queued: outcome()?.kind === 'queued' }}
        role="status"
        aria-live="polite"
      >
        {outcome()?.text ?? ''}
      </p>

      <Show when={workspace().status().problem}>
        {(problem) => (
          <p class="error" role="alert">
            {problem()}{' '}
            <button type="button" class="link-button" onClick={() => void workspace().refresh()}>
              Try again
            </button>
          </p>
        )}
      </Show>

      <Show
        when={view()}
        fallback={
          <Show
            when={workspace().status().state === 'offline' || workspace().status().state === 'unreachable'}
            fallback={<p class="loading muted">Loading your integration packs…</p>}
          >
            <p class="muted">This device has not received this account's integration packs yet: they appear once the server answers.</p>
          </Show>
        }
      >
        {(data) => (
          <>
            <section class="card" aria-labelledby="managed-installed">
              <h2 id="managed-installed" class="section-title">
                Integration packs in this account
              </h2>
              <Show
                when={data().instances.length > 0}
                fallback={<p class="muted">No integration pack is installed in this account yet.</p>}
              >
                <InstalledTable
                  instances={data().instances}
                  busy={busy()}
                  queuedFor={queuedFor}
                  describe={(command) => commandText(command, view())}
                  formatDate={date}
                  onCommand={(command) => void send(command)}
                  onApply={(instance) => setConfirming({ kind: 'apply', instance })}
                  onUninstall={(instance) => setConfirming({ kind: 'uninstall', instance })}
                />
                <AttachForm instances={data().instances} disabled={busy()} onAttach={send} />
              </Show>
            </section>

            <InstallList
              packs={data().installable}
              managedAccountId={data().managedAccountId}
              disabled={busy()}
              onInstall={send}
              typeLabel={(type) => installationTypeLabel[type]}
            />
          </>
        )}
      </Show>

      <Show when={confirming()}>
        {(pending) => (
          <ConfirmDialog
            title={pending().kind === 'apply' ? 'Apply update' : 'Uninstall integration pack'}
            destructive={pending().kind === 'uninstall'}
            onCancel={() => setConfirming(undefined)}
            onConfirm={async () => {
              const { kind, instance } = pending();
              const error = await send({ type: kind === 'apply' ? 'APPLY_UPDATE' : 'UNINSTALL', instanceId: instance.instanceId });
              if (!error) setConfirming(undefined);
              return error;
            }}
          >
            <Show
              when={pending().kind === 'apply'}
              fallback={<p>Uninstall {instanceName(pending().instance)} from this account? Its Atoms and environments are detached.</p>}
            >
              <p>
                Apply version {pending().instance.pendingReleaseNumber} of {instanceName(pending().instance)} now
                {pending().instance.pendingDate ? `, before ${date(pending().instance.pendingDate)}` : ''}?
              </p>
              <Show when={pending().instance.pendingReleaseNotes}>{(notes) => <p class="release-notes">Release notes: {notes()}</p>}</Show>
              <p>
                <strong>Applying an update cannot be undone.</strong>
              </p>
            </Show>
          </ConfirmDialog>
        )}
      </Show>
    </main>
  );
}

export default ManagedPage;
