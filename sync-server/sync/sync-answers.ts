/**
 * Sync step 2 answers from a cached encoding of the document as it is now. Encoding a big document
 * costs milliseconds per megabyte; every new client (and every reconnect) asks with the same few
 * state vectors (empty, or the state it had), so each distinct question is encoded once per change of
 * the document, not once per asker. Any update to the document drops the cache.
 */
import * as Y from 'yjs';
import { step2Frame } from './frames.ts';

/** Distinct state vectors remembered between two changes of the document. */
const REMEMBERED = 8;

export class SyncAnswers {
  private readonly frames = new Map<string, Uint8Array>();
  /** Encodings made (for tests and figures). */
  encodings = 0;
  private readonly clear = () => this.frames.clear();

  constructor(private readonly doc: Y.Doc) {
    doc.on('update', this.clear);
  }

  /** The sync step 2 frame with everything the document holds that `stateVector` lacks. */
  frame(stateVector: Uint8Array): Uint8Array {
    const key = Buffer.from(stateVector.buffer, stateVector.byteOffset, stateVector.byteLength).toString('latin1');
    let frame = this.frames.get(key);
    if (frame) {
      // Most recently used last, so the oldest is the one forgotten.
      this.frames.delete(key);
      this.frames.set(key, frame);
      return frame;
    }
    frame = step2Frame(Y.encodeStateAsUpdate(this.doc, stateVector));
    this.encodings++;
    if (this.frames.size >= REMEMBERED) this.frames.delete(this.frames.keys().next().value!);
    this.frames.set(key, frame);
    return frame;
  }

  destroy(): void {
    this.doc.off('update', this.clear);
    this.frames.clear();
  }
}
