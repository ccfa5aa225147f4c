/** Per-pack history of commands (who, when, what, result). Owned by the releases work. */
import type { Workspace } from '../../core/api.ts';

export function HistoryPanel(_props: { workspace: Workspace; packId: string }) {
  return null;
}
