/** The client core's entry points the shell needs, in one place. */
import { openWorkspace } from '../core/workspace.ts';
import { loadSession, signIn, signOut } from '../core/session.ts';

export const core = { openWorkspace, loadSession, signIn, signOut };
