/** ATTACH_ATOM, DETACH_ATOM, ATTACH_ENVIRONMENT, DETACH_ENVIRONMENT on one installation. */
import type { Command } from '../../shared/commands.ts';
import { attachTo, detachFrom, type AttachmentKind } from '../../shared/release-instances.ts';
import { onInstance } from './instance-command.ts';
import { refused, succeeded, type CommandHandler } from './outcome.ts';

type AttachmentCommand = Extract<Command, { type: 'ATTACH_ATOM' | 'DETACH_ATOM' | 'ATTACH_ENVIRONMENT' | 'DETACH_ENVIRONMENT' }>;

export const changeAttachment: CommandHandler<AttachmentCommand> = (context, command) => {
  const kind: AttachmentKind = 'atomId' in command ? 'atom' : 'environment';
  const id = ('atomId' in command ? command.atomId : command.environmentId).trim();
  const attach = command.type === 'ATTACH_ATOM' || command.type === 'ATTACH_ENVIRONMENT';
  const noun = kind === 'atom' ? 'Atom' : 'environment';
  const verb = attach ? `Attach ${noun} ${id} to` : `Detach ${noun} ${id} from`;
  return onInstance(context, command.instanceId, verb, ({ instance, label, accountName, base }, summary) => {
    const changed = attach ? attachTo(instance, kind, id) : detachFrom(instance, kind, id);
    if (!changed.ok) return refused(summary, changed.error, base);
    context.records.putInstance(changed.value);
    return succeeded(
      summary,
      `${noun[0]!.toUpperCase()}${noun.slice(1)} ${id} is ${attach ? 'attached to' : 'detached from'} ${label} in ${accountName}.`,
      base,
    );
  });
};
