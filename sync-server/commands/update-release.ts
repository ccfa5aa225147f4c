/** UPDATE_RELEASE: a release pending its date gets a new date, other versions or new notes (shared/release-changes.ts). */
import type { Command } from '../../shared/commands.ts';
import { planReleaseUpdate } from '../../shared/release-changes.ts';
import { dateStyleOf, formatDate } from '../../shared/date-format.ts';
import { summarizeRollout } from '../../shared/rollout.ts';
import { findPack, refused, succeeded, type CommandHandler } from './outcome.ts';

type UpdateReleaseCommand = Extract<Command, { type: 'UPDATE_RELEASE' }>;

export const updateRelease: CommandHandler<UpdateReleaseCommand> = (context, command) => {
  const { doc, records } = context;
  const style = dateStyleOf(records.account);
  const what = command.releaseOnDate
    ? `Reschedule to ${formatDate(command.releaseOnDate, style)}`
    : command.components
      ? 'Change the versions of'
      : 'Change the release notes of';
  const found = findPack(doc, records, command.packId);
  if (!found.ok) return refused(`${what} the pending release of ${command.packId}`, found.error, { packId: command.packId });
  const pack = found.value;
  const summary = `${what} the pending release of ${pack.name}`;
  const planned = planReleaseUpdate(
    {
      releases: records.releases(pack.id),
      rollout: summarizeRollout(pack.id, records.instancesOfPack(pack.id)),
      catalog: records.catalog,
      timeZone: style.timeZone,
      locale: style.locale,
      now: context.now,
    },
    { releaseOnDate: command.releaseOnDate, components: command.components, notes: command.notes },
  );
  if (!planned.ok) return refused(summary, planned.error, { packId: pack.id });
  const { release, releases } = planned.value;
  records.putReleases(pack.id, releases);
  const versions = command.components ? ' with the new versions' : '';
  const notes = command.notes === undefined ? '' : release.notes ? ' Its release notes changed.' : ' It has no release notes now.';
  return succeeded(
    summary,
    `${pack.name} release ${release.number} is pending until ${formatDate(release.releaseOnDate ?? '', style)}${versions}.${notes}`,
    {
      packId: pack.id,
      requestId: release.requestId,
      releaseNumber: release.number,
    },
  );
};
