/**
 * Who else is online (y-protocols awareness). Our state is `{ user: { personId, name, color },
 * viewing?: packId }`; other clients' states are untrusted and read defensively.
 */
import type { Awareness } from 'y-protocols/awareness';
import type { Peer } from './api.ts';

export interface PresenceUser {
  personId: string;
  name: string;
  color: string;
}

/** A stable color per person (hue from a string hash), readable on white. */
export function colorFor(personId: string): string {
  let hash = 0;
  for (let i = 0; i < personId.length; i++) hash = (hash * 31 + personId.charCodeAt(i)) >>> 0;
  return `hsl(${hash % 360}, 65%, 38%)`;
}

/** Other people's clients, sorted by name: not this client, and not this person's other tabs. */
export function peersOf(awareness: Awareness, self: PresenceUser): Peer[] {
  const peers: Peer[] = [];
  for (const [clientId, state] of awareness.getStates()) {
    if (clientId === awareness.clientID) continue;
    const user = (state as { user?: unknown }).user as Partial<PresenceUser> | undefined;
    if (!user || typeof user.personId !== 'string' || user.personId === self.personId) continue;
    const viewing = (state as { viewing?: unknown }).viewing;
    peers.push({
      clientId,
      personId: user.personId,
      name: typeof user.name === 'string' ? user.name : user.personId,
      color: typeof user.color === 'string' ? user.color : colorFor(user.personId),
      ...(typeof viewing === 'string' ? { packId: viewing } : {}),
    });
  }
  return peers.sort((a, b) => a.name.localeCompare(b.name) || a.clientId - b.clientId);
}

export class Presence {
  private readonly listener = () => this.onPeers(peersOf(this.awareness, this.user));

  constructor(
    private readonly awareness: Awareness,
    private readonly user: PresenceUser,
    private readonly onPeers: (peers: Peer[]) => void,
  ) {
    awareness.setLocalState({ user });
    awareness.on('change', this.listener);
  }

  setViewing(packId: string | undefined): void {
    const state = { user: this.user, ...(packId === undefined ? {} : { viewing: packId }) };
    this.awareness.setLocalState(state);
  }

  destroy(): void {
    this.awareness.off('change', this.listener);
  }
}
