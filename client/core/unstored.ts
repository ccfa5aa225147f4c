/**
 * Which of this device's own edits the server has not durably stored yet. An edit counts until the
 * server's stored state vector (message 100) reaches the clock its log entry ends at, for the client
 * id it was made under (entries of earlier sessions keep their own client id).
 */
import * as Y from 'yjs';

export interface LocalEdit {
  clientId: number;
  /** Exclusive end of the edit's own clock range. */
  clockEnd: number;
  packIds: readonly string[];
}

/** The own clock an update ends at; a delete-only update ends where the client's clock already was. */
export function ownClockEnd(doc: Y.Doc, update: Uint8Array): number {
  const end = Y.parseUpdateMeta(update).to.get(doc.clientID);
  return end ?? Y.getState(doc.store, doc.clientID);
}

export class UnstoredEdits {
  private edits: LocalEdit[] = [];
  private serverVector = new Map<number, number>();

  constructor(private readonly onChange: (count: number) => void = () => {}) {}

  isStored(edit: Pick<LocalEdit, 'clientId' | 'clockEnd'>): boolean {
    return (this.serverVector.get(edit.clientId) ?? 0) >= edit.clockEnd;
  }

  add(edit: LocalEdit): void {
    if (this.isStored(edit)) return;
    this.edits.push(edit);
    this.onChange(this.edits.length);
  }

  /** The server's durable state vector: prunes what it covers. */
  setServerVector(vector: Map<number, number>): void {
    this.serverVector = vector;
    const before = this.edits.length;
    this.edits = this.edits.filter((edit) => !this.isStored(edit));
    if (this.edits.length !== before) this.onChange(this.edits.length);
  }

  get serverStateVector(): ReadonlyMap<number, number> {
    return this.serverVector;
  }

  get count(): number {
    return this.edits.length;
  }

  /** Whether an edit not yet stored touched this pack. */
  touched(packId: string): boolean {
    return this.edits.some((edit) => edit.packIds.includes(packId));
  }
}
