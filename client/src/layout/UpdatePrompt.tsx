/** Registers the service worker and, when a new version is waiting, offers to reload into it. */
import { Show } from 'solid-js';
import { useRegisterSW } from 'virtual:pwa-register/solid';

export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW({ immediate: true });

  return (
    <Show when={needRefresh()}>
      <div class="update-prompt" role="region" aria-label="Update">
        <p>A new version is available</p>
        <button type="button" class="primary" onClick={() => void updateServiceWorker(true)}>
          Reload
        </button>
        <button type="button" class="link-button" onClick={() => setNeedRefresh(false)}>
          Later
        </button>
      </div>
    </Show>
  );
}
