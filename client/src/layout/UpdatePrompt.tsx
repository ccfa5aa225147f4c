/** Registers the service worker and, when a new version is waiting, offers to reload into it. */
import { Show } from 'solid-js';
import { useRegisterSW } from 'virtual:pwa-register/solid';

export function UpdatePrompt() {
  const {
    needRefresh: [needRefresh, setNeedRefresh],
    updateServiceWorker,
  } = useRegisterSW({
    immediate: true,
    // The reload is ours (below): the plugin reloads only when this page was already controlled at
    // registration, which is not so on the very first visit.
    onNeedReload: () => {},
  });

  const reload = () => {
    navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
    void updateServiceWorker(true);
  };

  return (
    <Show when={needRefresh()}>
      <div class="update-prompt" role="region" aria-label="Update">
        <p>A new version is available</p>
        <button type="button" class="primary" onClick={reload}>
          Reload
        </button>
        <button type="button" class="link-button" onClick={() => setNeedRefresh(false)}>
          Later
        </button>
      </div>
    </Show>
  );
}
