/** Per-pack rollout: which managed accounts run which release, pending updates, failures. Owned by the releases work. */
import type { Workspace } from '../../core/api.ts';

export function RolloutPanel(_props: { workspace: Workspace; packId: string }) {
  return null;
}
