/**
 * A managed account's page (/managed): the integration packs installed in it with their Version and
 * Pending Version (and the date it is applied automatically), "Apply update" (cannot be undone),
 * install (single attachment once, multiple attachments each with a name), uninstall, and attach or
 * detach Atoms and environments. Data comes from GET /api/managed; actions are commands. It refetches
 * after each action, every 15 seconds, and when the tab becomes visible again.
 */
import { dateStyleOf, formatDate } from '../../../shared/date-format.ts';
import { createResource, createSignal, For, onCleanup, onMount, Show } from 'solid-js';
import type { Command } from '../../../shared/commands.ts';
import { installationTypeLabel } from '../../../shared/model.ts';
import type { ManagedInstanceView } from '../../../shared/rollout.ts';
import type { Workspace } from '../../core/api.ts';
import { ConfirmDialog } from '../dialogs/ConfirmDialog.tsx';
import { AttachForm } from './AttachForm.tsx';
import { InstallList } from './InstallList.tsx';
import { managedApi } from './managed-api.ts';
import './managed.css';

const POLL_MS = 15_000;

export const instanceName = (instance: Pick<ManagedInstanceView, 'packName' | 'overrideName'>): string =>
  instance.overrideName ? `${instance.packName} (${instance.overrideName})` : instance.packName;

type Pending = { kind: 'apply' | 'uninstall'; instance: ManagedInstanceView };

export function ManagedPage(props: { workspace: Workspace }) {
  const api = managedApi(props.workspace.session);
  const [view, { refetch }] = createResource(() => api.view());
  // The publisher's zone and locale: a pending date is a day there (shared/date-format.ts).
  const date = (day: string | undefined) => (day ? formatDate(day, dateStyleOf(view.latest)) : '');
  const [outcome, setOutcome] = createSignal<{ ok: boolean; text: string }>();
  const [busy, setBusy] = createSignal(false);
  const [confirming, setConfirming] = createSignal<Pending>();

  onMount(() => {
    const timer = setInterval(() => void refetch(), POLL_MS);
    const onVisible = () => document.visibilityState === 'visible' && void refetch();
    document.addEventListener('visibilitychange', onVisible);
    onCleanup(() => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    });
  });

  /** Runs a command, shows its sentence, refetches; returns the error message, if any. */
  const send = async (command: Command): Promise<string | undefined> => {
    setBusy(true);
    try {
      const result = await api.command(command);
      setOutcome({ ok: result.status === 'SUCCESS', text: result.message });
      await refetch();
      return result.status === 'SUCCESS' ? undefined : result.message;
    } finally {
      setBusy(false);
    }
  };

  const current = () => (view.error ? undefined : view.latest);

  return (
    <main class="managed-page">
      <header class="managed-head">
        <h1 tabindex="-1">Installed integration packs</h1>
        <Show when={current()}>{(data) => <p class="muted">Managed account {data().managedAccountName}</p>}</Show>
      </header>

      <p class="managed-outcome" classList={{ error: outcome()?.ok === false }} role="status" aria-live="polite">
        {outcome()?.text ?? ''}
      </p>

      <Show when={view.error}>
        <p class="error" role="alert">
          {String((view.error as Error)?.message ?? view.error)}{' '}
          <button type="button" class="link-button" onClick={() => void refetch()}>
            Try again
          </button>
        </p>
      </Show>

      <Show
        when={current()}
        fallback={
          <Show when={!view.error}>
            <p class="loading muted">Loading your integration packs…</p>
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
                <div class="table-scroll">
                  <table class="publications-table managed-table">
                    <thead>
                      <tr>
                        <th scope="col">Integration Pack</th>
                        <th scope="col">Version</th>
                        <th scope="col">Pending Version</th>
                        <th scope="col">Applied automatically on</th>
                        <th scope="col">Atoms</th>
                        <th scope="col">Environments</th>
                        <th scope="col">
                          <span class="visually-hidden">Actions</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      <For each={data().instances}>
                        {(instance) => (
                          <tr data-instance-id={instance.instanceId}>
                            <th scope="row">
                              {instanceName(instance)}
                              <Show when={instance.lastError}>
                                <p class="error">Update failed: {instance.lastError}</p>
                              </Show>
                            </th>
                            <td class="num">{instance.releaseNumber}</td>
                            <td class="num">{instance.pendingReleaseNumber ?? ''}</td>
                            <td>{date(instance.pendingDate)}</td>
                            <td>
                              <Attached
                                ids={instance.atomIds}
                                noun="Atom"
                                owner={instanceName(instance)}
                                disabled={busy()}
                                onDetach={(atomId) => send({ type: 'DETACH_ATOM', instanceId: instance.instanceId, atomId })}
                              />
                            </td>
                            <td>
                              <Attached
                                ids={instance.environmentIds}
                                noun="Environment"
                                owner={instanceName(instance)}
                                disabled={busy()}
                                onDetach={(environmentId) =>
                                  send({ type: 'DETACH_ENVIRONMENT', instanceId: instance.instanceId, environmentId })
                                }
                              />
                            </td>
                            <td>
                              <div class="managed-actions">
                                <Show when={instance.pendingReleaseNumber !== undefined}>
                                  <button
                                    type="button"
                                    class="primary"
                                    disabled={busy()}
                                    aria-label={`Apply update to ${instanceName(instance)}`}
                                    onClick={() => setConfirming({ kind: 'apply', instance })}
                                  >
                                    Apply update
                                  </button>
                                </Show>
                                <button
                                  type="button"
                                  class="danger"
                                  disabled={busy()}
                                  aria-label={`Uninstall ${instanceName(instance)}`}
                                  onClick={() => setConfirming({ kind: 'uninstall', instance })}
                                >
                                  Uninstall
                                </button>
                              </div>
                            </td>
                          </tr>
                        )}
                      </For>
                    </tbody>
                  </table>
                </div>
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

/** The Atoms (or environments) attached to an installation, each with a Detach button. */
function Attached(props: { ids: string[]; noun: string; owner: string; disabled: boolean; onDetach: (id: string) => void }) {
  return (
    <Show when={props.ids.length > 0} fallback={<span class="muted">None</span>}>
      <ul class="attached-list">
        <For each={props.ids}>
          {(id) => (
            <li>
              <span>{id}</span>
              <button
                type="button"
                class="link-button"
                disabled={props.disabled}
                aria-label={`Detach ${props.noun} ${id} from ${props.owner}`}
                onClick={() => props.onDetach(id)}
              >
                Detach
              </button>
            </li>
          )}
        </For>
      </ul>
    </Show>
  );
}

export default ManagedPage;
