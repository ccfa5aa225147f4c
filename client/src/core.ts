/** The client core's entry points the shell needs, in one place. */
import type { AnyWorkspace, Session } from '../core/api.ts';
import { openWorkspace as openPublisherWorkspace } from '../core/workspace.ts';
import { loadSession, signIn, signOut } from '../core/session.ts';

/**
 * The workspace for a session, chosen by role: a managed account's person reads the view the server
 * derives for them (ManagedWorkspace, loaded only for them); admins and viewers sync the publisher's
 * document (Workspace, shown from the device's tables before its live half loads).
 */
async function openWorkspace(session: Session, options: { connect: boolean }): Promise<AnyWorkspace> {
  if (session.role !== 'managed') return openPublisherWorkspace(session, options);
  const { createManagedWorkspace } = await import('../core/managed.ts');
  return createManagedWorkspace(session, options);
}

export const core = { openWorkspace, loadSession, signIn, signOut };
