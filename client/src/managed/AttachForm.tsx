/** Attach an Atom or an environment to one of the account's installations. */
import { createSignal, createUniqueId, For } from 'solid-js';
import type { Command } from '../../../shared/commands.ts';
import type { ManagedInstanceView } from '../../../shared/rollout.ts';
import { instanceName as label } from './words.ts';

export function AttachForm(props: {
  instances: ManagedInstanceView[];
  disabled: boolean;
  onAttach: (command: Command) => Promise<string | undefined>;
}) {
  const id = createUniqueId();
  const [instanceId, setInstanceId] = createSignal<string>();
  const [kind, setKind] = createSignal<'atom' | 'environment'>('atom');
  const [value, setValue] = createSignal('');
  const [error, setError] = createSignal<string>();
  const chosen = () => instanceId() ?? props.instances[0]?.instanceId;

  const submit = async (event: Event) => {
    event.preventDefault();
    const target = chosen();
    const trimmed = value().trim();
    if (!target) return;
    if (trimmed === '') {
      setError(`Enter the ${kind() === 'atom' ? 'Atom' : 'environment'} id to attach.`);
      return;
    }
    setError(undefined);
    const problem = await props.onAttach(
      kind() === 'atom'
        ? { type: 'ATTACH_ATOM', instanceId: target, atomId: trimmed }
        : { type: 'ATTACH_ENVIRONMENT', instanceId: target, environmentId: trimmed },
    );
    if (!problem) setValue('');
  };

  return (
    <form class="attach-form" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>Attach an Atom or environment</h3>
      <div class="attach-fields">
        <div class="field">
          <label for={`${id}-instance`}>Installation</label>
          <select id={`${id}-instance`} value={chosen() ?? ''} onChange={(event) => setInstanceId(event.currentTarget.value)}>
            <For each={props.instances}>{(instance) => <option value={instance.instanceId}>{label(instance)}</option>}</For>
          </select>
        </div>
        <div class="field">
          <label for={`${id}-kind`}>Attach</label>
          <select id={`${id}-kind`} value={kind()} onChange={(event) => setKind(event.currentTarget.value as 'atom' | 'environment')}>
            <option value="atom">Atom</option>
            <option value="environment">Environment</option>
          </select>
        </div>
        <div class="field">
          <label for={`${id}-value`}>{kind() === 'atom' ? 'Atom ID' : 'Environment ID'}</label>
          <input
            id={`${id}-value`}
            type="text"
            value={value()}
            aria-invalid={error() ? 'true' : undefined}
            onInput={(event) => setValue(event.currentTarget.value)}
          />
        </div>
        <button type="submit" disabled={props.disabled}>
          Attach
        </button>
      </div>
      <p class="field-error" role="alert">
        {error() ?? ''}
      </p>
    </form>
  );
}
