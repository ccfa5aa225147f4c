/**
 * The app shell: sign-in gate, the person's Workspace, the header, notices, and the routes
 * /packs, /packs/new, /packs/:id and /managed.
 */
import { createEffect, createResource, createSignal, lazy, onCleanup, Show, Suspense, type ParentProps } from 'solid-js';
import { Navigate, Route, Router, useNavigate } from '@solidjs/router';
import type { Session } from '../core/api.ts';
import { followBrowserConnectivity, startOnline } from './connectivity.ts';
import { core } from './core.ts';
import { Header } from './layout/Header.tsx';
import { Notices } from './layout/Notices.tsx';
import { UpdatePrompt } from './layout/UpdatePrompt.tsx';
import { PacksPage } from './packs/PacksPage.tsx';
import { SignIn } from './signin/SignIn.tsx';
import { useWorkspace, WorkspaceContext } from './WorkspaceContext.tsx';

// The managed-account view (owned by the releases work), loaded only by managed-account users.
const ManagedPage = lazy(() => import('./managed/ManagedPage.tsx').then((module) => ({ default: module.ManagedPage })));

function ManagedRoute() {
  return <ManagedPage workspace={useWorkspace()} />;
}

function HomeRoute() {
  const workspace = useWorkspace();
  return <Navigate href={workspace.session.role === 'managed' ? '/managed' : '/packs'} />;
}

/** Opens the Workspace for a session and closes it when the person signs out. */
function SignedIn(props: ParentProps<{ session: Session; onSignOut: () => void }>) {
  // Managed-account users are refused at /sync (they use the HTTP API): their workspace stays local.
  const syncs = props.session.role !== 'managed';
  const [workspace] = createResource(
    () => props.session,
    (session) => core.openWorkspace(session, { connect: syncs && startOnline() }),
  );
  createEffect(() => {
    const ready = workspace.error ? undefined : workspace();
    if (ready && syncs) onCleanup(followBrowserConnectivity(ready));
  });
  onCleanup(() => {
    if (!workspace.error) void workspace()?.close();
  });
  return (
    <Show
      when={workspace.error ? undefined : workspace()}
      fallback={
        <Show when={workspace.error} fallback={<p class="loading muted">Opening your integration packs…</p>}>
          <main class="signin-page">
            <div class="card signin" role="alert">
              <h1>Integration Packs could not open</h1>
              <p>{String(workspace.error?.message ?? workspace.error)}</p>
              <button type="button" class="primary wide" onClick={() => props.onSignOut()}>
                Sign out
              </button>
            </div>
          </main>
        </Show>
      }
    >
      {(ready) => (
        <WorkspaceContext.Provider value={ready()}>
          <Header workspace={ready()} onSignOut={props.onSignOut} />
          <Notices workspace={ready()} />
          {props.children}
        </WorkspaceContext.Provider>
      )}
    </Show>
  );
}

function Shell(props: ParentProps) {
  const [remembered] = createResource(() => core.loadSession());
  const [chosen, setChosen] = createSignal<Session | null>();
  const session = () => (chosen() === undefined ? (remembered.error ? undefined : remembered()) : chosen()) ?? undefined;
  const navigate = useNavigate();

  const signOut = async () => {
    await core.signOut();
    setChosen(null);
    navigate('/', { replace: true });
  };

  return (
    <>
      <Show when={!remembered.loading} fallback={<p class="loading muted">Loading…</p>}>
        <Show when={session()} keyed fallback={<SignIn signIn={core.signIn} onSignedIn={setChosen} />}>
          {(current) => (
            <SignedIn session={current} onSignOut={signOut}>
              <Suspense>{props.children}</Suspense>
            </SignedIn>
          )}
        </Show>
      </Show>
      <UpdatePrompt />
    </>
  );
}

export function App() {
  return (
    <Router root={Shell}>
      <Route path="/" component={HomeRoute} />
      <Route path="/packs/:id?" component={PacksPage} />
      <Route path="/managed" component={ManagedRoute} />
      <Route path="*" component={() => <Navigate href="/packs" />} />
    </Router>
  );
}
