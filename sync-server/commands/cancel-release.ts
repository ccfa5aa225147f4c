/** CANCEL_RELEASE: the release pending its date goes; installations waiting for it no longer wait (shared/release-changes.ts). */
import type { Command } from '../../shared/commands.ts';
import { dateStyleOf, formatDate } from '../../shared/date-format.ts';
import { planReleaseCancel, withoutPendingRelease } from '../../shared/release-changes.ts';
import { summarizeRollout } from '../../shared/rollout.ts';
import { findPack, plural, refused, succeeded, type CommandHandler } from './outcome.ts';

type CancelReleaseCommand = Extract<Command, { type: 'CANCEL_RELEASE' }>;

export const cancelRelease: CommandHandler<CancelReleaseCommand> = (context, command) => {
  const { doc, records } = context;
  const found = findPack(doc, records, command.packId);
  if (!found.ok) return refused(`Cancel the pending release of ${command.packId}`, found.error, { packId: command.packId });
  const pack = found.value;
  const summary = `Cancel the pending release of ${pack.name}`;
  const instances = records.instancesOfPack(pack.id);
  const planned = planReleaseCancel({ releases: records.releases(pack.id), rollout: summarizeRollout(pack.id, instances) });
  if (!planned.ok) return refused(summary, planned.error, { packId: pack.id });
  const { release, releases } = planned.value;
  records.putReleases(pack.id, releases);
  let waited = 0;
  for (const instance of instances) {
    const changed = withoutPendingRelease(instance, release);
    if (!changed) continue;
    records.putInstance(changed);
    waited++;
  }
  const waiting = waited === 0 ? '' : ` ${plural(waited, 'installation')} no longer wait for it.`;
  return succeeded(
    summary,
    `${pack.name} release ${release.number}, pending until ${formatDate(release.releaseOnDate ?? '', dateStyleOf(records.account))}, was cancelled.${waiting}`,
    {
      packId: pack.id,
      requestId: release.requestId,
      releaseNumber: release.number,
    },
  );
};
