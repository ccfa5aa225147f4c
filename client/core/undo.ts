/**
 * Undo and redo per pack: one Y.UndoManager scoped to each pack's Y.Map (created the first time this
 * person edits that pack), so undoing on one pack never changes another that is not on screen —
 * as each document of an editor has its own history. Each stack item carries what it changes
 * ("description of", "adding Orders Export to"), copied onto the item that undo or redo creates, so
 * Undo and Redo can say what they will do.
 */
import * as Y from 'yjs';
import { packsMap } from '../../shared/index.ts';

/** The origin of this device's own undoable edits. */
export const LOCAL_ORIGIN = Symbol('local edit');

const WHAT = 'what';

export interface UndoSteps {
  /** What Undo would change, e.g. "description of" (the page adds the pack's name); undefined: nothing to undo. */
  undo?: string;
  redo?: string;
}

export class PackUndo {
  private readonly managers = new Map<string, { map: Y.Map<unknown>; manager: Y.UndoManager }>();
  /** The label of the edit being applied now (set by `track` just before the edit's transaction). */
  private pending: string | undefined;

  constructor(
    private readonly doc: Y.Doc,
    private readonly onChanged: (packId: string) => void,
  ) {}

  /** The pack's manager; a pack whose Y.Map was replaced (deleted and re-created) starts a new history. */
  managerFor(packId: string): Y.UndoManager | undefined {
    const map = packsMap(this.doc).get(packId);
    if (!(map instanceof Y.Map)) return undefined;
    const known = this.managers.get(packId);
    if (known?.map === map) return known.manager;
    known?.manager.destroy();
    const manager = new Y.UndoManager(map, { trackedOrigins: new Set([LOCAL_ORIGIN]), captureTimeout: 0 });
    manager.on('stack-item-added', ({ stackItem }) => {
      // An item made by undo or redo says what the popped one said.
      const what = manager.currStackItem?.meta.get(WHAT) ?? this.pending;
      if (what !== undefined) stackItem.meta.set(WHAT, what);
      this.onChanged(packId);
    });
    manager.on('stack-item-popped', () => this.onChanged(packId));
    manager.on('stack-cleared', () => this.onChanged(packId));
    this.managers.set(packId, { map, manager });
    return manager;
  }

  /** Runs an undoable edit of one pack, labelled with what it changes. */
  track(packId: string, what: string, apply: () => void): void {
    this.managerFor(packId)?.stopCapturing();
    this.pending = what;
    try {
      apply();
    } finally {
      this.pending = undefined;
    }
  }

  /** How many items the pack's undo stack holds. */
  depth(packId: string): number {
    return this.managerFor(packId)?.undoStack.length ?? 0;
  }

  /**
   * Takes back the edit on top of the pack's stack, if the stack grew past `depth`, leaving no redo
   * item behind: for an edit that could not be stored (editor.ts).
   */
  revertAbove(packId: string, depth: number): void {
    const manager = this.managers.get(packId)?.manager;
    if (!manager || manager.undoStack.length <= depth) return;
    manager.undo();
    manager.redoStack.pop();
    this.onChanged(packId);
  }

  isOwnOrigin(origin: unknown): boolean {
    if (!(origin instanceof Y.UndoManager)) return false;
    for (const { manager } of this.managers.values()) if (manager === origin) return true;
    return false;
  }

  steps(packId: string): UndoSteps {
    const known = this.managers.get(packId);
    if (!known || packsMap(this.doc).get(packId) !== known.map) return {};
    const top = (stack: { meta: Map<unknown, unknown> }[]) => stack[stack.length - 1]?.meta.get(WHAT) as string | undefined;
    const undo = top(known.manager.undoStack) ?? (known.manager.canUndo() ? 'the last change to' : undefined);
    const redo = top(known.manager.redoStack) ?? (known.manager.canRedo() ? 'the last change to' : undefined);
    return { ...(undo ? { undo } : {}), ...(redo ? { redo } : {}) };
  }

  undo(packId: string): void {
    this.managers.get(packId)?.manager.undo();
  }

  redo(packId: string): void {
    this.managers.get(packId)?.manager.redo();
  }

  destroy(): void {
    for (const { manager } of this.managers.values()) manager.destroy();
    this.managers.clear();
  }
}
