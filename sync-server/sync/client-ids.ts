/**
 * Which person each Yjs client id of one account belongs to: the person who first wrote under it
 * (document structs or presence), kept in the store so it holds across restarts. The server's own id
 * is chosen at load among ids nobody has used and bound to SERVER_PERSON, so no client can ever write
 * under it. Each new binding is handed to `onBound`, which stores it with the next commit.
 */
import type * as Y from 'yjs';
import { type ClientIdBinding, SERVER_PERSON } from '../storage/types.ts';

/** A random Yjs client id (what `new Y.Doc()` does: 32 bits). */
const randomClientId = () => Math.floor(Math.random() * 2 ** 32);

export class ClientIds {
  private readonly owners = new Map<number, string>();

  constructor(
    private readonly accountId: string,
    /** A new binding, to be stored with the next commit. */
    private readonly onBound: (binding: ClientIdBinding) => void,
  ) {}

  /** What the store holds (at load). */
  load(bindings: readonly ClientIdBinding[]): void {
    for (const { clientId, personId } of bindings) if (!this.owners.has(clientId)) this.owners.set(clientId, personId);
  }

  get map(): ReadonlyMap<number, string> {
    return this.owners;
  }

  ownerOf(clientId: number): string | undefined {
    return this.owners.get(clientId);
  }

  /** Binds `clientId` to `personId` unless it is bound already; returns its owner. */
  bind(clientId: number, personId: string): string {
    const owner = this.owners.get(clientId);
    if (owner !== undefined) return owner;
    this.owners.set(clientId, personId);
    this.onBound({ accountId: this.accountId, clientId, personId });
    return personId;
  }

  /**
   * Gives the server's document an id of its own before it writes anything: one that is neither bound
   * nor used in the document (a collision with an earlier load or a client would mix two writers).
   */
  claimServerId(doc: Y.Doc, random: () => number = randomClientId): void {
    while (this.owners.has(doc.clientID) || doc.store.clients.has(doc.clientID)) doc.clientID = random();
    this.bind(doc.clientID, SERVER_PERSON);
  }
}
