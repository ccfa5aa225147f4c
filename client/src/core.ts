/** The client core's entry points the shell needs, in one place. */
import { createWorkspace } from '../core/workspace.ts';
import { loadSession, signIn, signOut } from '../core/session.ts';

export const core = { createWorkspace, loadSession, signIn, signOut };
