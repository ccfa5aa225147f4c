/** Who else is online, and on which pack. */
import { For, Show } from 'solid-js';
import type { Workspace } from '../../core/api.ts';
import { Avatar } from './Avatar.tsx';

export function Peers(props: { workspace: Workspace }) {
  const packName = (packId: string | undefined) =>
    packId === undefined ? undefined : props.workspace.packs().find((pack) => pack.id === packId)?.name;

  return (
    <section class="peers" aria-label="Online now">
      <Show when={props.workspace.peers().length > 0} fallback={<span class="muted peers-alone">Only you</span>}>
        <ul class="peer-list">
          <For each={props.workspace.peers()}>
            {(peer) => (
              <li class="peer">
                <Avatar name={peer.name} color={peer.color} />
                <span class="peer-text">
                  <span class="peer-name">{peer.name}</span>
                  <Show when={packName(peer.packId)}>{(name) => <span class="peer-where"> on {name()}</span>}</Show>
                </span>
              </li>
            )}
          </For>
        </ul>
      </Show>
    </section>
  );
}
