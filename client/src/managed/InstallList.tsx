/** The released packs this account may install: single attachment once, multiple attachments each with its own name. */
import { createSignal, createUniqueId, For, Show } from 'solid-js';
import type { Command } from '../../../shared/commands.ts';
import type { InstallationType } from '../../../shared/model.ts';
import type { InstallablePackView } from '../../../shared/rollout.ts';

export function InstallList(props: {
  packs: InstallablePackView[];
  managedAccountId: string;
  disabled: boolean;
  onInstall: (command: Command) => Promise<string | undefined>;
  typeLabel: (type: InstallationType) => string;
}) {
  const titleId = createUniqueId();
  return (
    <section class="card" aria-labelledby={titleId}>
      <h2 id={titleId} class="section-title">
        Install an integration pack
      </h2>
      <Show when={props.packs.length > 0} fallback={<p class="muted">No integration pack has been released to this account yet.</p>}>
        <ul class="install-list">
          <For each={props.packs}>{(pack) => <InstallRow pack={pack} {...props} />}</For>
        </ul>
      </Show>
    </section>
  );
}

function InstallRow(props: {
  pack: InstallablePackView;
  managedAccountId: string;
  disabled: boolean;
  onInstall: (command: Command) => Promise<string | undefined>;
  typeLabel: (type: InstallationType) => string;
}) {
  const id = createUniqueId();
  const [name, setName] = createSignal('');
  const multi = () => props.pack.installationType === 'MULTI';
  const install = async (event: Event) => {
    event.preventDefault();
    const problem = await props.onInstall({
      type: 'INSTALL',
      packId: props.pack.packId,
      managedAccountId: props.managedAccountId,
      ...(multi() ? { integrationPackOverrideName: name() } : {}),
    });
    if (!problem) setName('');
  };
  return (
    <li class="install-row">
      <div>
        <strong>{props.pack.name}</strong>
        <span class="muted">
          {' '}
          · {props.typeLabel(props.pack.installationType)} · Version {props.pack.releaseNumber}
        </span>
        <Show when={props.pack.description}>
          <p class="hint">{props.pack.description}</p>
        </Show>
        <Show when={props.pack.releaseNotes}>{(notes) => <p class="hint release-notes">Release notes: {notes()}</p>}</Show>
      </div>
      <form class="install-form" onSubmit={install}>
        <Show when={multi()}>
          <label for={`${id}-name`} class="visually-hidden">
            Instance name for {props.pack.name}
          </label>
          <input
            id={`${id}-name`}
            type="text"
            placeholder="Instance name"
            value={name()}
            onInput={(event) => setName(event.currentTarget.value)}
          />
        </Show>
        <button
          type="submit"
          disabled={props.disabled || !props.pack.canInstall}
          aria-label={props.pack.canInstall ? `Install ${props.pack.name}` : `${props.pack.name} installed`}
        >
          {props.pack.canInstall ? 'Install' : 'Installed'}
        </button>
      </form>
    </li>
  );
}
