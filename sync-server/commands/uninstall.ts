/** UNINSTALL: removes one installation; its Atom and environment attachments go with it. */
import type { Command } from '../../shared/commands.ts';
import { onInstance } from './instance-command.ts';
import { plural, succeeded, type CommandHandler } from './outcome.ts';

type UninstallCommand = Extract<Command, { type: 'UNINSTALL' }>;

export const uninstall: CommandHandler<UninstallCommand> = (context, command) =>
  onInstance(context, command.instanceId, 'Uninstall', ({ instance, label, accountName, base }, summary) => {
    context.records.deleteInstance(instance.id);
    return succeeded(
      summary,
      `${label} was uninstalled from ${accountName}; ${plural(instance.atomIds.length, 'Atom')} and ${plural(instance.environmentIds.length, 'environment')} were detached.`,
      base,
    );
  });
