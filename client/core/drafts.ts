/**
 * Drafts: the Name and Description a person has typed but not saved, one per pack (and one for the
 * pack being added), kept in this device's database (`meta`, key `draft:<packId>`). Switching packs,
 * reloading, going offline or the browser closing the tab loses nothing; Save or Discard ends the
 * draft. A draft is this person's alone: other admins see the change once it is saved.
 *
 * Writes are "latest wins": while one is in flight only the newest value waits, so typing costs at
 * most one pending write per pack and no timer.
 */
import type { InstallationType } from '../../shared/index.ts';
import type { PackDb } from './db.ts';
import { liveSignal, type LiveSignal } from './reactive.ts';

export interface PackDraft {
  name: string;
  description: string;
  /** The stored values the draft was started from: a later difference means someone else changed them. */
  base: { name: string; description: string };
  /** Only for the pack being added. */
  installationType?: InstallationType;
  /** ISO time of the last keystroke kept. */
  keptAt: string;
}

/** The draft key of the pack being added (Add Integration Pack). */
export const NEW_PACK = 'new';
const PREFIX = 'draft:';

export class PackDrafts {
  private readonly waiting = new Map<string, PackDraft | undefined>();
  private readonly writing = new Map<string, Promise<void>>();
  private readonly idsSignal: LiveSignal<ReadonlySet<string>>;

  constructor(
    private readonly db: PackDb,
    private readonly onError: (error: unknown) => void,
  ) {
    this.idsSignal = liveSignal(
      async () => new Set((await db.meta.where('key').startsWith(PREFIX).primaryKeys()).map((key) => String(key).slice(PREFIX.length))),
      new Set<string>() as ReadonlySet<string>,
      { onError, equals: (a, b) => a.size === b.size && [...a].every((id) => b.has(id)) },
    );
  }

  /** Packs (and NEW_PACK) with a draft on this device. */
  get ids() {
    return this.idsSignal.get;
  }

  async load(packId: string): Promise<PackDraft | undefined> {
    if (this.waiting.has(packId)) return this.waiting.get(packId);
    await this.writing.get(packId);
    const row = await this.db.meta.get(PREFIX + packId);
    return row?.value as PackDraft | undefined;
  }

  /** Keeps the draft (undefined: the draft is over, after Save or Discard). */
  keep(packId: string, draft: PackDraft | undefined): void {
    this.waiting.set(packId, draft);
    if (!this.writing.has(packId)) this.writing.set(packId, this.drain(packId));
  }

  private async drain(packId: string): Promise<void> {
    try {
      while (this.waiting.has(packId)) {
        const draft = this.waiting.get(packId);
        this.waiting.delete(packId);
        try {
          if (draft) await this.db.meta.put({ key: PREFIX + packId, value: draft });
          else await this.db.meta.delete(PREFIX + packId);
        } catch (error) {
          this.onError(error);
        }
      }
    } finally {
      this.writing.delete(packId);
    }
  }

  /** Resolves when every draft kept so far is written. */
  async settled(): Promise<void> {
    while (this.writing.size > 0) await Promise.all(this.writing.values());
  }

  close(): void {
    this.idsSignal.dispose();
  }
}
