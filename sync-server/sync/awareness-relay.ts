/**
 * Presence for one room: y-protocols awareness, relayed to every connection. A connection speaks
 * only for client ids it introduced or that belong to the same person (no one can overwrite or
 * remove another person's presence), for at most a few ids, with states of bounded size.
 */
import * as awarenessProtocol from 'y-protocols/awareness';
import type * as Y from 'yjs';
import type { Limits } from '../config.ts';
import type { Notice } from '../../shared/protocol.ts';
import { ClientOrigin, type Connection } from './connection.ts';
import { awarenessFrame, encodeAwarenessEntries, type AwarenessEntry } from './frames.ts';

export class AwarenessRelay {
  readonly awareness: awarenessProtocol.Awareness;
  private readonly owners = new Map<number, Connection>();

  constructor(
    doc: Y.Doc,
    private readonly limits: Pick<Limits, 'maxAwarenessStateBytes' | 'maxAwarenessClientsPerConnection'>,
    broadcast: (frame: Uint8Array) => void,
  ) {
    this.awareness = new awarenessProtocol.Awareness(doc);
    this.awareness.setLocalState(null);
    this.awareness.on(
      'update',
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        const connection = origin instanceof ClientOrigin ? origin.connection : undefined;
        if (connection)
          for (const id of [...added, ...updated]) {
            const previous = this.owners.get(id);
            if (previous && previous !== connection) previous.awarenessIds.delete(id);
            this.owners.set(id, connection);
            connection.awarenessIds.add(id);
          }
        for (const id of removed) {
          this.owners.get(id)?.awarenessIds.delete(id);
          this.owners.delete(id);
        }
        const changed = [...added, ...updated, ...removed];
        broadcast(awarenessFrame(awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed)));
      },
    );
  }

  /**
   * Applies the entries this connection may speak for: its own clients, and those of the same
   * person's other connections (a browser relays its other tabs' presence). Entries about other
   * people's clients are dropped silently: stock y-websocket clients echo every awareness change they
   * receive. Returns a notice when the connection's own state was too large to share.
   */
  receive(connection: Connection, entries: readonly AwarenessEntry[]): Notice | undefined {
    const kept: AwarenessEntry[] = [];
    let tooLarge = false;
    const claimed = new Set(connection.awarenessIds);
    for (const entry of entries) {
      const owner = this.owners.get(entry.clientId);
      if (owner && owner !== connection && owner.session.personId !== connection.session.personId) continue;
      if (!claimed.has(entry.clientId)) {
        if (claimed.size >= this.limits.maxAwarenessClientsPerConnection) continue;
        claimed.add(entry.clientId);
      }
      if (entry.json.length > this.limits.maxAwarenessStateBytes) {
        tooLarge = true;
        continue;
      }
      kept.push(entry);
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
    for (const id of ids) if (this.owners.get(id) === connection) this.owners.delete(id);
    connection.awarenessIds.clear();
  }

  destroy(): void {
    this.awareness.destroy();
  }
}
