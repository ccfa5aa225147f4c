/**
 * AUTO_APPLY (the scheduler, role 'system'): at the start of its release date in the publisher's time
 * zone, a scheduled release takes effect. Its update reaches every instance of the pack that has not
 * applied it, in one set-based change (one UPDATE in the store), and the release is marked applied.
 * The scheduler sends it under a key of its own per release (`autoApplyKey`), so the one command path
 * answers it once: a second pass, a restart, or a second server finds the first result.
 */
import type { SystemCommand } from '../../shared/commands.ts';
import { applyReleaseEffect, markApplied } from '../../shared/release-plan.ts';
import { isDue } from '../../shared/releases.ts';
import { packName, plural, refused, succeeded, type CommandHandler } from './outcome.ts';

export const SCHEDULER_ACTOR = 'Scheduler';

export const autoApplyKey = (packId: string, releaseNumber: number): string => `auto-apply:${packId}:${releaseNumber}`;

export const autoApply: CommandHandler<SystemCommand> = (context, command) => {
  const { doc, records, now } = context;
  const releases = records.releases(command.packId);
  const release = releases.find((candidate) => candidate.number === command.releaseNumber);
  const name = packName(doc, records, command.packId);
  const summary = `Apply release ${command.releaseNumber} of ${name} on its release date ${release?.releaseOnDate ?? ''}`.trimEnd();
  const base = { packId: command.packId, releaseNumber: command.releaseNumber };
  if (release?.status !== 'SCHEDULED')
    return refused(
      summary,
      {
        code: 'NOT_SCHEDULED',
        message: `Release ${command.releaseNumber} of ${name} is no longer scheduled: it was superseded, applied or deleted.`,
      },
      base,
    );
  if (!isDue(release, records.timeZone, now))
    return refused(
      summary,
      { code: 'NOT_DUE', message: `Release ${command.releaseNumber} of ${name} takes effect on ${release.releaseOnDate}.` },
      base,
    );

  const effect = applyReleaseEffect(release, records.catalog);
  const changed = records.applyEffect(effect);
  records.putReleases(
    command.packId,
    releases.map((candidate) => (candidate.number === release.number ? markApplied(candidate, now) : candidate)),
  );
  const updated = effect.change === 'move' ? changed : 0;
  const failed = effect.change === 'fail' ? changed : 0;
  const counts = { ...base, instancesUpdated: updated, instancesFailed: failed };
  const message = `Applied: ${plural(updated, 'instance')} updated${failed > 0 ? `; ${failed} failed to apply (see the rollout for the reasons)` : ''}.`;
  return failed > 0 ? refused(summary, { code: 'UPDATE_FAILED', message }, counts) : succeeded(summary, message, counts);
};
