/** UPDATE_RELEASE: a release pending its date gets a new date or other versions (shared/release-changes.ts). */
import type { Command } from '../../shared/commands.ts';
import { planReleaseUpdate } from '../../shared/release-changes.ts';
import { dateStyleOf, formatDate } from '../../shared/date-format.ts';
import { catalogView, readAccount, readInstances, readReleases, writeReleases } from '../../shared/schema.ts';
import { findPack, refused, succeeded, type CommandHandler } from './outcome.ts';

type UpdateReleaseCommand = Extract<Command, { type: 'UPDATE_RELEASE' }>;

export const updateRelease: CommandHandler<UpdateReleaseCommand> = (context, command) => {
  const { doc } = context;
  const style = dateStyleOf(readAccount(doc));
  const what = command.releaseOnDate ? `Reschedule to ${formatDate(command.releaseOnDate, style)}` : 'Change the versions of';
  const found = findPack(doc, command.packId);
  if (!found.ok) return refused(`${what} the pending release of ${command.packId}`, found.error, { packId: command.packId });
  const pack = found.value;
  const summary = `${what} the pending release of ${pack.name}`;
  const planned = planReleaseUpdate(
    {
      releases: readReleases(doc, pack.id),
      instances: readInstances(doc).filter((instance) => instance.packId === pack.id),
      catalog: catalogView(doc),
      timeZone: style.timeZone,
      locale: style.locale,
      now: context.now,
    },
    { releaseOnDate: command.releaseOnDate, components: command.components },
  );
  if (!planned.ok) return refused(summary, planned.error, { packId: pack.id });
  const { release, releases } = planned.value;
  writeReleases(doc, pack.id, releases, context.origin);
  const versions = command.components ? ' with the new versions' : '';
  return succeeded(
    summary,
    `${pack.name} release ${release.number} is pending until ${formatDate(release.releaseOnDate ?? '', style)}${versions}.`,
    {
      packId: pack.id,
      requestId: release.requestId,
      releaseNumber: release.number,
    },
  );
};
