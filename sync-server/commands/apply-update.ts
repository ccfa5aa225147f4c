/** APPLY_UPDATE: a managed account applies its pending update early. It cannot be undone. */
import type { Command } from '../../shared/commands.ts';
import { checkUpdateApplicable, withFailedUpdate } from '../../shared/release-plan.ts';
import { applyPendingUpdate } from '../../shared/releases.ts';
import { catalogView, readReleases, writeInstance } from '../../shared/schema.ts';
import { onInstance } from './instance-command.ts';
import { refused, succeeded, type CommandHandler } from './outcome.ts';

type ApplyUpdateCommand = Extract<Command, { type: 'APPLY_UPDATE' }>;

export const applyUpdate: CommandHandler<ApplyUpdateCommand> = (context, command) =>
  onInstance(context, command.instanceId, 'Apply update to', ({ instance, label, accountName, base }, summary) => {
    const applied = applyPendingUpdate(instance);
    if (!applied.ok) return refused(summary, applied.error, base);
    const target = instance.pendingReleaseNumber!;
    const release = readReleases(context.doc, instance.packId).find((candidate) => candidate.number === target);
    if (!release) return refused(summary, { code: 'RELEASE_NOT_FOUND', message: `Release ${target} no longer exists.` }, base);
    const applicable = checkUpdateApplicable(instance, release, catalogView(context.doc));
    if (!applicable.ok) {
      writeInstance(context.doc, withFailedUpdate(instance, target, applicable.error.message), context.origin);
      return refused(summary, applicable.error, { ...base, releaseNumber: target });
    }
    writeInstance(context.doc, applied.value, context.origin);
    return succeeded(summary, `${label} in ${accountName} now runs release ${target}.`, { ...base, releaseNumber: target });
  });
