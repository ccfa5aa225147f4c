/** Sign in with a server address (this page's origin by default) and a token. */
import { createSignal, createUniqueId, Show } from 'solid-js';
import type { Session } from '../../core/api.ts';
import type { Result } from '../../../shared/result.ts';

export interface SignInProps {
  signIn: (serverUrl: string, token: string) => Promise<Result<Session>>;
  onSignedIn: (session: Session) => void;
}

export function SignIn(props: SignInProps) {
  const ids = { server: createUniqueId(), token: createUniqueId(), error: createUniqueId() };
  const [serverUrl, setServerUrl] = createSignal(location.origin);
  const [token, setToken] = createSignal('');
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal(false);

  const submit = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const result = await props.signIn(serverUrl().trim(), token().trim());
      if (result.ok) props.onSignedIn(result.value);
      else setError(result.error.message);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main class="signin-page">
      <form class="card signin" onSubmit={submit} aria-labelledby={`${ids.server}-title`}>
        <img src="/icons/icon-192.png" alt="" width="64" height="64" class="signin-logo" />
        <h1 id={`${ids.server}-title`}>Integration Packs</h1>
        <p class="muted">Sign in to manage your account's integration packs. You stay signed in on this device.</p>
        <div class="field">
          <label for={ids.server}>Server address</label>
          <input
            id={ids.server}
            type="url"
            inputmode="url"
            autocomplete="url"
            required
            value={serverUrl()}
            onInput={(event) => setServerUrl(event.currentTarget.value)}
          />
        </div>
        <div class="field">
          <label for={ids.token}>Token</label>
          <input
            id={ids.token}
            type="password"
            autocomplete="current-password"
            required
            value={token()}
            onInput={(event) => setToken(event.currentTarget.value)}
            aria-invalid={error() ? 'true' : undefined}
            aria-describedby={error() ? ids.error : undefined}
          />
        </div>
        <Show when={error()}>
          <p id={ids.error} class="error" role="alert">
            {error()}
          </p>
        </Show>
        <button type="submit" class="primary wide" disabled={busy() || token().trim() === ''}>
          {busy() ? 'Signing in…' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
