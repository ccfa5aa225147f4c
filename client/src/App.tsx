/**
 * The app shell: sign-in gate, the person's Workspace, the header, notices, and the routes
 * /packs, /packs/new, /packs/:id and /managed.
 */
import { createEffect, createResource, createSignal, lazy, onCleanup, Show, Suspense, type ParentProps } from 'solid-js';
import { Navigate, Route, Router, useLocation, useNavigate } from '@solidjs/router';
import { isManagedWorkspace, type ManagedWorkspace, type Session } from '../core/api.ts';
import { followBrowserConnectivity, startOnline } from './connectivity.ts';
import { core } from './core.ts';
import { Header } from './layout/Header.tsx';
import { Notices } from './layout/Notices.tsx';
import { UpdatePrompt } from './layout/UpdatePrompt.tsx';
import { PacksPage } from './packs/PacksPage.tsx';
import { SignIn } from './signin/SignIn.tsx';
import { WorkspaceContext } from './WorkspaceContext.tsx';

// The managed-account view, loaded only by managed-account users.
const ManagedPage = lazy(() => import('./managed/ManagedPage.tsx').then((module) => ({ default: module.ManagedPage })));

/** /managed is a managed account's page: the publisher's people go to their packs. */
function ManagedRoute() {
  return <Navigate href="/packs" />;
}

/** A managed account's person sees their page whatever the address said (and the address says /managed). */
function ManagedShell(props: { workspace: ManagedWorkspace; onSignOut: () => void }) {
  const location = useLocation();
  const navigate = useNavigate();
  createEffect(() => {
    if (location.pathname !== '/managed') navigate('/managed', { replace: true });
  });
  return (
    <>
      <Header workspace={props.workspace} onSignOut={props.onSignOut} />
      <Notices workspace={props.workspace} />
      <Suspense fallback={<p class="loading muted">Loading your integration packs…</p>}>
        <ManagedPage workspace={props.workspace} />
      </Suspense>
    </>
  );
}

/** The publisher's people start at their packs (a managed account's person never reaches the routes). */
function HomeRoute() {
  return <Navigate href="/packs" />;
}

/** Opens the Workspace for a session and closes it when the person signs out. */
function SignedIn(props: ParentProps<{ session: Session; onSignOut: () => void }>) {
  // Chosen by role: the publisher's synced Workspace, or a managed account's ManagedWorkspace.
  const [workspace] = createResource(
    () => props.session,
    (session) => core.openWorkspace(session, { connect: startOnline() }),
  );
  createEffect(() => {
    const ready = workspace.error ? undefined : workspace();
    if (ready) onCleanup(followBrowserConnectivity(ready));
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
      {(ready) => {
        const opened = ready();
        return isManagedWorkspace(opened) ? (
          <ManagedShell workspace={opened} onSignOut={props.onSignOut} />
        ) : (
          <WorkspaceContext.Provider value={opened}>
            <Header workspace={opened} onSignOut={props.onSignOut} />
            <Notices workspace={opened} />
            {props.children}
          </WorkspaceContext.Provider>
        );
      }}
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
