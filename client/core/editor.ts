/**
 * Applies checked edits to the document and waits until they are stored on the device.
 *
 * Transaction and rollback design: an edit is applied to the Y.Doc first (synchronously, with a
 * local origin); the mirror turns that doc transaction into one log entry (update + snapshot of the
 * rows it changed) and writes both in ONE Dexie transaction. So IndexedDB always holds a log and
 * tables that agree; a crash loses at most the in-memory edit, never splits them.
 * If that write fails (quota, closed database), the edit is reverted IN THE DOCUMENT by an inverse
 * edit — undoing its undo-stack item (and dropping the redo item that creates), or its own revert for
 * a new pack — so the document again says what the tables say, and the action returns an error.
 * The failed entry and its inverse stay queued and are written together by the next successful
 * write: later entries may build on the failed one's items, so it is never dropped from the log.
 * (Keeping a pre-state copy of the doc, or building the update on a second doc, would double the
 * memory of a 50,000-component catalog; an inverse edit costs a few bytes.)
 *
 * Edits, undo and redo run one at a time, so the item to revert is always the top of the stack.
 */
import * as Y from 'yjs';
import { fail, ok, type Result } from '../../shared/index.ts';
import type { EditPlan } from './actions.ts';
import type { DocMirror } from './mirror.ts';

/** Origins of this device's own transactions. */
export const LOCAL_ORIGIN = Symbol('local edit');
export const UNTRACKED_ORIGIN = Symbol('local edit, not undoable');
export const REVERT_ORIGIN = Symbol('revert of an edit that could not be stored');

export class LocalEditor {
  readonly undoManager: Y.UndoManager;
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    doc: Y.Doc,
    private readonly mirror: DocMirror,
    private readonly onStacksChanged: (canUndo: boolean, canRedo: boolean) => void = () => {},
  ) {
    this.undoManager = new Y.UndoManager(doc.getMap('packs'), { trackedOrigins: new Set([LOCAL_ORIGIN]), captureTimeout: 0 });
    const notify = () => this.onStacksChanged(this.undoManager.canUndo(), this.undoManager.canRedo());
    this.undoManager.on('stack-item-added', notify);
    this.undoManager.on('stack-item-popped', notify);
    this.undoManager.on('stack-cleared', notify);
  }

  isLocal(origin: unknown): boolean {
    return origin === LOCAL_ORIGIN || origin === UNTRACKED_ORIGIN || origin === REVERT_ORIGIN || origin === this.undoManager;
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
      const { value, tracked, apply, revert } = planned.value;
      const before = this.mirror.lastEntry;
      const depth = this.undoManager.undoStack.length;
      this.undoManager.stopCapturing();
      apply(tracked ? LOCAL_ORIGIN : UNTRACKED_ORIGIN);
      const entry = this.mirror.lastEntry;
      if (entry === before || !entry) return ok(value); // nothing changed
      try {
        await entry.committed;
        return ok(value);
      } catch (error) {
        this.revert(tracked, depth, revert);
        const reason = error instanceof Error ? error.message : String(error);
        return fail('NOT_STORED', `This change could not be stored on this device and was undone (${reason}).`);
      }
    });
  }

  private revert(tracked: boolean, depth: number, revert: EditPlan<unknown>['revert']): void {
    if (tracked) {
      if (this.undoManager.undoStack.length <= depth) return;
      this.undoManager.undo();
      this.undoManager.redoStack.pop();
      this.onStacksChanged(this.undoManager.canUndo(), this.undoManager.canRedo());
    } else revert?.(REVERT_ORIGIN);
  }

  undo(): Promise<void> {
    return this.serialize(async () => {
      this.undoManager.undo();
    });
  }

  redo(): Promise<void> {
    return this.serialize(async () => {
      this.undoManager.redo();
    });
  }

  /** Resolves when every queued edit has run. */
  settled(): Promise<void> {
    return this.chain.then(() => {});
  }

  destroy(): void {
    this.undoManager.destroy();
  }
}
