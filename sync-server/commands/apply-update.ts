/** APPLY_UPDATE: a managed account applies its pending update early. It cannot be undone. */
import type { Command } from '../../shared/commands.ts';
import { checkUpdateApplicable, withFailedUpdate } from '../../shared/release-plan.ts';
import { applyPendingUpdate } from '../../shared/releases.ts';
import { onInstance } from './instance-command.ts';
import { refused, succeeded, type CommandHandler } from './outcome.ts';

type ApplyUpdateCommand = Extract<Command, { type: 'APPLY_UPDATE' }>;

export const applyUpdate: CommandHandler<ApplyUpdateCommand> = (context, command) =>
  onInstance(context, command.instanceId, 'Apply update to', ({ instance, label, accountName, base }, summary) => {
    const applied = applyPendingUpdate(instance);
    if (!applied.ok) return refused(summary, applied.error, base);
    const target = instance.pendingReleaseNumber!;
    const release = context.records.releases(instance.packId).find((candidate) => candidate.number === target);
    if (!release) return refused(summary, { code: 'RELEASE_NOT_FOUND', message: `Version ${target} no longer exists.` }, base);
    const applicable = checkUpdateApplicable(instance, release, context.records.catalog);
    if (!applicable.ok) {
      context.records.putInstance(withFailedUpdate(instance, target, applicable.error.message));
      return refused(summary, applicable.error, { ...base, releaseNumber: target });
    }
    context.records.putInstance(applied.value);
    return succeeded(summary, `${label} in ${accountName} now runs version ${target}.`, { ...base, releaseNumber: target });
  });
