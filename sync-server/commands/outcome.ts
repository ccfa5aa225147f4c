/** What one command module returns to the executor, which turns it into a result and a history record. */
import type * as Y from 'yjs';
import type { AnyCommand } from '../../shared/commands.ts';
import type { PackInstance } from '../../shared/model.ts';
import { fail, type Result } from '../../shared/result.ts';
import { dateStyleOf, formatDateTime } from '../../shared/date-format.ts';
import { readPack } from '../../shared/schema.ts';
import type { AccountRecords } from '../records/account-records.ts';
import type { CommandContext } from './execute.ts';

export interface Outcome {
  status: 'SUCCESS' | 'ERROR';
  /** A sentence for the person who sent the command. */
  message: string;
  code?: string;
  /** What was asked, for the history. */
  summary: string;
  packId?: string;
  managedAccountId?: string;
  requestId?: string;
  releaseNumber?: number;
  instanceId?: string;
  instancesUpdated?: number;
  instancesFailed?: number;
}

export type CommandHandler<C extends AnyCommand> = (context: CommandContext, command: C) => Outcome;

export function succeeded(summary: string, message: string, extra: Partial<Outcome> = {}): Outcome {
  return { ...extra, status: 'SUCCESS', summary, message };
}

export function refused(summary: string, error: { code: string; message: string }, extra: Partial<Outcome> = {}): Outcome {
  return { ...extra, status: 'ERROR', summary, code: error.code, message: error.message };
}

/** The pack a command names, or why it cannot be found (deleted packs are named from their tombstone). */
export function findPack(doc: Y.Doc, records: AccountRecords, packId: string) {
  const pack = readPack(doc, packId);
  if (pack) return { ok: true as const, value: pack };
  const tombstone = records.tombstones.get(packId);
  return tombstone
    ? fail(
        'PACK_DELETED',
        `Integration pack "${tombstone.name}" was deleted on ${formatDateTime(tombstone.deletedAt, dateStyleOf(records.account))} by ${tombstone.deletedBy}.`,
      )
    : fail('PACK_NOT_FOUND', 'That integration pack does not exist.');
}

export function findInstance(records: AccountRecords, instanceId: string): Result<PackInstance> {
  const instance = records.instance(instanceId);
  return instance
    ? { ok: true, value: instance }
    : fail('INSTANCE_NOT_FOUND', 'That installation no longer exists: it was uninstalled, or its integration pack was deleted.');
}

/** A name for a pack in sentences, falling back to its tombstone's name, then its id. */
export const packName = (doc: Y.Doc, records: AccountRecords, packId: string): string =>
  readPack(doc, packId)?.name ?? records.tombstones.get(packId)?.name ?? packId;

export const plural = (count: number, one: string, many = `${one}s`): string => `${count} ${count === 1 ? one : many}`;
