/** The signed-in person's Workspace (the client core), handed to every view below the sign-in gate. */
import { createContext, useContext } from 'solid-js';
import type { Workspace } from '../core/api.ts';

export const WorkspaceContext = createContext<Workspace>();

export function useWorkspace(): Workspace {
  const workspace = useContext(WorkspaceContext);
  if (!workspace) throw new Error('useWorkspace() must be used inside <WorkspaceContext.Provider>.');
  return workspace;
}

/** Viewers see everything and change nothing. */
export const canEdit = (workspace: Workspace): boolean => workspace.session.role === 'admin';
