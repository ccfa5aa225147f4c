/**
 * Presence for one room: y-protocols awareness, relayed to every connection. Each awareness client
 * id belongs to the person who first used it (the same binding as document client ids, kept across
 * reconnects and restarts), so no one can overwrite, remove or take over another person's presence;
 * the `user` fields (personId, name) are set from the session, whatever the client claimed. A
 * connection speaks for at most a few ids, with states of bounded size.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { Session } from '../auth.ts';
import type { Limits } from '../config.ts';
import type { Notice } from '../../shared/protocol.ts';
import { ClientOrigin, type Connection } from './connection.ts';
import { awarenessFrame, encodeAwarenessEntries, type AwarenessEntry } from './frames.ts';

/** Who each client id belongs to (sync/client-ids.ts). */
export interface PresenceOwners {
  ownerOf(clientId: number): string | undefined;
  bind(clientId: number, personId: string): string;
}

/** Longest `user.color` kept (a CSS color). */
const MAX_COLOR_LENGTH = 64;

const isRecord = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

/**
 * A presence state with `user.personId` and `user.name` from the session (`user.color` kept when it
 * is a short string; any other `user` field dropped). A state that is not an object becomes `{ user }`.
 */
export function stampPresence(json: string, session: Pick<Session, 'personId' | 'personName'>): string {
  if (json === 'null') return json;
  let state: unknown;
  try {
    state = JSON.parse(json);
  } catch {
    state = undefined;
  }
  const base = isRecord(state) ? state : {};
  const claimed = isRecord(base.user) ? base.user : {};
  const color = typeof claimed.color === 'string' && claimed.color.length <= MAX_COLOR_LENGTH ? { color: claimed.color } : {};
  return JSON.stringify({ ...base, user: { personId: session.personId, name: session.personName, ...color } });
}

export class AwarenessRelay {
  readonly awareness: awarenessProtocol.Awareness;
  private readonly connectionOf = new Map<number, Connection>();

  constructor(
    doc: Y.Doc,
    private readonly limits: Pick<Limits, 'maxAwarenessStateBytes' | 'maxAwarenessClientsPerConnection'>,
    broadcast: (frame: Uint8Array) => void,
    private readonly owners: PresenceOwners,
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    this.awareness.on(
      'update',
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        const connection = origin instanceof ClientOrigin ? origin.connection : undefined;
        if (connection)
          for (const id of [...added, ...updated]) {
            const previous = this.connectionOf.get(id);
            if (previous && previous !== connection) previous.awarenessIds.delete(id);
            this.connectionOf.set(id, connection);
            connection.awarenessIds.add(id);
          }
        for (const id of removed) {
          this.connectionOf.get(id)?.awarenessIds.delete(id);
          this.connectionOf.delete(id);
        }
        const changed = [...added, ...updated, ...removed];
        broadcast(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)));
      },
    );
  }

  /**
   * Applies the entries this connection may speak for: client ids of its person (its own, and those of
   * the same person's other tabs, which a browser relays), or ids nobody has used yet (they become
   * this person's). Entries about other people's clients are dropped silently: stock y-websocket
   * clients echo every awareness change they receive. Returns a notice when the connection's own
   * state was too large to share.
   */
  receive(connection: Connection, entries: readonly AwarenessEntry[]): Notice | undefined {
    const kept: AwarenessEntry[] = [];
    let tooLarge = false;
    const claimed = new Set(connection.awarenessIds);
    const person = connection.session.personId;
    for (const entry of entries) {
      const owner = this.owners.ownerOf(entry.clientId);
      if (owner !== undefined && owner !== person) continue;
      if (!claimed.has(entry.clientId)) {
        if (claimed.size >= this.limits.maxAwarenessClientsPerConnection) continue;
        claimed.add(entry.clientId);
      }
      const json = stampPresence(entry.json, connection.session);
      if (json.length > this.limits.maxAwarenessStateBytes) {
        tooLarge = true;
        continue;
      }
      if (owner === undefined) this.owners.bind(entry.clientId, person);
      kept.push({ ...entry, json });
    }
    if (kept.length > 0) awarenessProtocol.applyAwarenessUpdate(this.awareness, encodeAwarenessEntries(kept), connection.origin);
    if (!tooLarge) return undefined;
    return {
      level: 'warning',
      code: 'AWARENESS_REFUSED',
      message: `Your presence state is larger than ${this.limits.maxAwarenessStateBytes} bytes and was not shared.`,
    };
  }

  /** Every known state, for a newcomer or a queryAwareness. */
  allStatesFrame(): Uint8Array | undefined {
    const ids = [...this.awareness.getStates().keys()];
    if (ids.length === 0) return undefined;
    return awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.awareness, ids));
  }

  disconnect(connection: Connection): void {
    const ids = [...connection.awarenessIds];
    if (ids.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, ids, null);
    for (const id of ids) if (this.connectionOf.get(id) === connection) this.connectionOf.delete(id);
    connection.awarenessIds.clear();
  }

  destroy(): void {
    this.awareness.destroy();
  }
}
