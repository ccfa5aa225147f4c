/**
 * UPDATE_PACK: changes a pack's name, description or components through the API; a component list
 * replaces the pack's. Checked by the same reconcile rules as a page's edit, all or nothing, and
 * written with the server's origin (only what differs).
 */
import type { Command } from '../../shared/commands.ts';
import { editRecord, packEdits } from '../../shared/pack-edits.ts';
import { reconcilePack } from '../../shared/reconcile.ts';
import { packsMap, readRawPack, repairPack, type RawPack } from '../../shared/schema.ts';
import { blockingViolation, uniqueSorted } from './create-pack.ts';
import { findPack, refused, succeeded, type CommandHandler } from './outcome.ts';

type UpdatePackCommand = Extract<Command, { type: 'UPDATE_PACK' }>;

export const updatePack: CommandHandler<UpdatePackCommand> = (context, command) => {
  const found = findPack(context.doc, context.records, command.packId);
  if (!found.ok) return refused(`Update integration pack ${command.packId}`, found.error, { packId: command.packId });
  const previous = found.value;
  const summary = `Update integration pack ${previous.name}`;
  const wanted: RawPack = {
    name: command.name ?? previous.name,
    description: command.description ?? previous.description,
    installationType: command.installationType ?? previous.installationType,
    componentIds: command.componentIds ? uniqueSorted(command.componentIds) : previous.componentIds,
    componentsIsMap: true,
    createdAt: previous.createdAt,
    createdBy: previous.createdBy,
    unknownKeys: [],
  };
  const { accepted, violations } = reconcilePack(previous.id, previous, wanted, context.records.reconcileContext);
  const blocking = blockingViolation(violations);
  if (blocking || !accepted)
    return refused(
      summary,
      blocking ?? { code: 'PACK_MALFORMED', message: 'The integration pack could not be updated.' },
      base(previous.id),
    );
  repairPack(context.doc, previous.id, readRawPack(packsMap(context.doc).get(previous.id)), accepted, context.origin);
  // The pack's edit history has the API's edits too (a page's edits are recorded where its updates are applied).
  for (const edit of packEdits(previous, accepted))
    context.records.audit(editRecord(previous.id, edit, context.actor, context.now.toISOString()), { projected: false });
  return succeeded(`Update integration pack ${accepted.name}`, `${accepted.name} was updated.`, base(previous.id));
};

const base = (packId: string) => ({ packId });
