/**
 * Applies checked edits to the document and waits until they are stored on the device.
 *
 * Transaction and rollback design: an edit is applied to the Y.Doc first (synchronously, with a
 * local origin); the mirror turns that doc transaction into one log entry (update + snapshot of the
 * rows it changed) and writes both in ONE Dexie transaction. So IndexedDB always holds a log and
 * tables that agree; a crash loses at most the in-memory edit, never splits them.
 * If that write fails (quota, closed database), the edit is reverted IN THE DOCUMENT by an inverse
 * edit — undoing its item on the pack's undo stack (and dropping the redo item that creates), or its
 * own revert for a new pack — so the document again says what the tables say, and the action returns
 * an error.
 * The failed entry and its inverse stay queued and are written together by the next successful
 * write: later entries may build on the failed one's items, so it is never dropped from the log.
 * (Keeping a pre-state copy of the doc, or building the update on a second doc, would double the
 * memory of a 50,000-component catalog; an inverse edit costs a few bytes.)
 *
 * Edits, undo and redo run one at a time, so the item to revert is always the top of its pack's stack.
 * Undo is per pack (undo.ts).
 */
import type * as Y from 'yjs';
import { fail, ok, type Result } from '../../shared/index.ts';
import type { EditPlan } from './actions.ts';
import type { DocMirror } from './mirror.ts';
import { LOCAL_ORIGIN, PackUndo, type UndoSteps } from './undo.ts';

export { LOCAL_ORIGIN };
/** Origins of this device's own transactions that are not undoable. */
export const UNTRACKED_ORIGIN = Symbol('local edit, not undoable');
export const REVERT_ORIGIN = Symbol('revert of an edit that could not be stored');

export class LocalEditor {
  private readonly history: PackUndo;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    doc: Y.Doc,
    private readonly mirror: DocMirror,
    /** A pack's undo or redo stack changed. */
    onStacksChanged: (packId: string) => void = () => {},
  ) {
    this.history = new PackUndo(doc, onStacksChanged);
  }

  isLocal(origin: unknown): boolean {
    return origin === LOCAL_ORIGIN || origin === UNTRACKED_ORIGIN || origin === REVERT_ORIGIN || this.history.isOwnOrigin(origin);
  }

  private serialize<T>(task: () => Promise<T>): Promise<T> {
    const run = this.chain.then(task, task);
    this.chain = run.catch(() => {});
    return run;
  }

  /** Checks (inside the queue, against the latest doc), applies, and waits for the device write. */
  run<T>(plan: () => Result<EditPlan<T>>): Promise<Result<T>> {
    return this.serialize(async () => {
      const planned = plan();
      if (!planned.ok) return planned;
      const { value, undo, apply, revert } = planned.value;
      const before = this.mirror.lastEntry;
      const depth = undo ? this.history.depth(undo.packId) : 0;
      if (undo) this.history.track(undo.packId, undo.what, () => apply(LOCAL_ORIGIN));
      else apply(UNTRACKED_ORIGIN);
      const entry = this.mirror.lastEntry;
      if (entry === before || !entry) return ok(value); // nothing changed
      try {
        await entry.committed;
        return ok(value);
      } catch (error) {
        if (undo) this.history.revertAbove(undo.packId, depth);
        else revert?.(REVERT_ORIGIN);
        const reason = error instanceof Error ? error.message : String(error);
        return fail('NOT_STORED', `This change could not be stored on this device and was undone (${reason}).`);
      }
    });
  }

  /** What Undo and Redo would change on this pack. */
  steps(packId: string): UndoSteps {
    return this.history.steps(packId);
  }

  undo(packId: string): Promise<void> {
    return this.serialize(async () => this.history.undo(packId));
  }

  redo(packId: string): Promise<void> {
    return this.serialize(async () => this.history.redo(packId));
  }

  /** Resolves when every queued edit has run. */
  settled(): Promise<void> {
    return this.chain.then(() => {});
  }

  destroy(): void {
    this.history.destroy();
  }
}
