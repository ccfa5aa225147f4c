/** DELETE_PACK: uninstalls the pack everywhere (detaching its Atoms and environments), then deletes it with a tombstone. */
import type { Command } from '../../shared/commands.ts';
import { packsMap } from '../../shared/schema.ts';
import { findPack, plural, refused, succeeded, type CommandHandler } from './outcome.ts';

type DeletePackCommand = Extract<Command, { type: 'DELETE_PACK' }>;

export const deletePack: CommandHandler<DeletePackCommand> = (context, command) => {
  const { doc, records } = context;
  const found = findPack(doc, records, command.packId);
  if (!found.ok) return refused(`Delete Integration Pack ${command.packId}`, found.error, { packId: command.packId });
  const pack = found.value;
  const instances = records.instancesOfPack(pack.id);
  const accounts = new Set(instances.map((instance) => instance.managedAccountId));
  const atoms = instances.reduce((sum, instance) => sum + instance.atomIds.length, 0);
  const environments = instances.reduce((sum, instance) => sum + instance.environmentIds.length, 0);

  records.deleteInstancesOfPack(pack.id);
  records.deleteReleases(pack.id);
  records.putTombstone({ packId: pack.id, name: pack.name, deletedAt: context.now.toISOString(), deletedBy: context.actor.personName });
  doc.transact(() => packsMap(doc).delete(pack.id), context.origin);

  const uninstalled =
    instances.length === 0
      ? 'It was not installed anywhere.'
      : `It was uninstalled from ${plural(instances.length, 'instance')} in ${plural(accounts.size, 'managed account')}; ${plural(atoms, 'Atom')} and ${plural(environments, 'environment')} were detached.`;
  return succeeded(`Delete Integration Pack ${pack.name}`, `${pack.name} was deleted. ${uninstalled}`, { packId: pack.id });
};
