/** INSTALL: a managed account installs a released pack (single attachment once; multiple attachments, each instance named). */
import type { Command } from '../../shared/commands.ts';
import { canActForManagedAccount, instanceLabel, planInstall } from '../../shared/release-instances.ts';
import { findPack, refused, succeeded, type CommandHandler } from './outcome.ts';

type InstallCommand = Extract<Command, { type: 'INSTALL' }>;

export const instanceIdFor = (idempotencyKey: string): string => `in_${idempotencyKey}`;

export const install: CommandHandler<InstallCommand> = (context, command) => {
  const { doc, records } = context;
  const base = { packId: command.packId, managedAccountId: command.managedAccountId };
  const found = findPack(doc, records, command.packId);
  const named = found.ok ? found.value.name : command.packId;
  const account = records.managedAccounts.get(command.managedAccountId);
  const summary = `Install ${named} in ${account?.name ?? command.managedAccountId}`;
  const allowed = canActForManagedAccount(context.actor, command.managedAccountId);
  if (!allowed.ok) return refused(summary, allowed.error, base);
  if (!found.ok) return refused(summary, found.error, base);
  if (!account)
    return refused(
      summary,
      { code: 'MANAGED_ACCOUNT_UNKNOWN', message: `${command.managedAccountId} is not a managed account of this publisher.` },
      base,
    );

  const planned = planInstall({
    instanceId: instanceIdFor(context.idempotencyKey),
    pack: found.value,
    managedAccountId: command.managedAccountId,
    overrideName: command.integrationPackOverrideName,
    releases: records.releases(command.packId),
    instances: records.instancesOfPack(command.packId),
    now: context.now,
  });
  if (!planned.ok) return refused(summary, planned.error, base);
  const instance = planned.value;
  records.putInstance(instance);
  const pending = instance.pendingReleaseNumber === undefined ? '' : ` Release ${instance.pendingReleaseNumber} is pending for it.`;
  return succeeded(
    summary,
    `${instanceLabel(instance, named)} is installed in ${account.name} and runs release ${instance.releaseNumber}.${pending}`,
    { ...base, instanceId: instance.id, releaseNumber: instance.releaseNumber },
  );
};
