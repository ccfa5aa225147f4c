/**
 * The installations of the managed account: Version, Pending Version and the date it is applied
 * automatically, Atoms and environments (each with Detach), Apply update and Uninstall. On a phone
 * each row is a card with its labels (managed.css); it stays a table to assistive technology.
 */
import { For, Show } from 'solid-js';
import type { Command } from '../../../shared/commands.ts';
import type { ManagedInstanceView } from '../../../shared/rollout.ts';
import { instanceName } from './words.ts';

const COLUMNS = ['Version', 'Pending Version', 'Applied automatically on', 'Atoms', 'Environments'] as const;

export function InstalledTable(props: {
  instances: ManagedInstanceView[];
  busy: boolean;
  /** The commands queued for this installation, waiting to be sent. */
  queuedFor: (instanceId: string) => Command[];
  describe: (command: Command) => string;
  formatDate: (date: string) => string;
  onCommand: (command: Command) => void;
  onApply: (instance: ManagedInstanceView) => void;
  onUninstall: (instance: ManagedInstanceView) => void;
}) {
  return (
    <div class="table-scroll managed-scroll">
      <table class="publications-table managed-table">
        <thead>
          <tr>
            <th scope="col">Integration Pack</th>
            <For each={COLUMNS}>{(column) => <th scope="col">{column}</th>}</For>
            <th scope="col" class="actions-header">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          <For each={props.instances}>
            {(instance) => {
              const name = () => instanceName(instance);
              const queued = () => props.queuedFor(instance.instanceId);
              // Once an uninstall (or an update) waits to be sent, asking again would only be refused.
              const waits = (type: Command['type']) => queued().some((command) => command.type === type || command.type === 'UNINSTALL');
              return (
                <tr data-instance-id={instance.instanceId}>
                  <th scope="row">{name()}</th>
                  <td class="num" data-label="Version">
                    {instance.releaseNumber}
                  </td>
                  <td class="num" classList={{ 'empty-cell': instance.pendingReleaseNumber === undefined }} data-label="Pending Version">
                    {instance.pendingReleaseNumber ?? ''}
                  </td>
                  <td classList={{ 'empty-cell': !instance.pendingDate }} data-label="Applied automatically on">
                    {instance.pendingDate ? props.formatDate(instance.pendingDate) : ''}
                    <Show when={instance.pendingReleaseNotes}>{(notes) => <p class="release-notes">Release notes: {notes()}</p>}</Show>
                  </td>
                  <td data-label="Atoms">
                    <Attached
                      ids={instance.atomIds}
                      noun="Atom"
                      owner={name()}
                      disabled={props.busy}
                      onDetach={(atomId) => props.onCommand({ type: 'DETACH_ATOM', instanceId: instance.instanceId, atomId })}
                    />
                  </td>
                  <td data-label="Environments">
                    <Attached
                      ids={instance.environmentIds}
                      noun="Environment"
                      owner={name()}
                      disabled={props.busy}
                      onDetach={(environmentId) =>
                        props.onCommand({ type: 'DETACH_ENVIRONMENT', instanceId: instance.instanceId, environmentId })
                      }
                    />
                  </td>
                  <td class="managed-actions-cell">
                    <Show when={instance.lastError}>
                      <p class="error">Update failed: {instance.lastError}</p>
                    </Show>
                    <For each={queued()}>{(command) => <p class="queued-note">Waiting to be sent: {props.describe(command)}</p>}</For>
                    <div class="managed-actions">
                      <Show when={instance.pendingReleaseNumber !== undefined}>
                        <button
                          type="button"
                          class="primary"
                          disabled={props.busy || waits('APPLY_UPDATE')}
                          aria-label={`Apply update to ${name()}`}
                          onClick={() => props.onApply(instance)}
                        >
                          Apply update
                        </button>
                      </Show>
                      <button
                        type="button"
                        class="danger"
                        disabled={props.busy || waits('UNINSTALL')}
                        aria-label={`Uninstall ${name()}`}
                        onClick={() => props.onUninstall(instance)}
                      >
                        Uninstall
                      </button>
                    </div>
                  </td>
                </tr>
              );
            }}
          </For>
        </tbody>
      </table>
    </div>
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
