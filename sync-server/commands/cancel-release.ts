/** CANCEL_RELEASE: the release pending its date goes; installations waiting for it no longer wait (shared/release-changes.ts). */
import type { Command } from '../../shared/commands.ts';
import { planReleaseCancel } from '../../shared/release-changes.ts';
import { dateStyleOf, formatDate } from '../../shared/date-format.ts';
import { readAccount, readInstances, readReleases, writeInstance, writeReleases } from '../../shared/schema.ts';
import { findPack, plural, refused, succeeded, type CommandHandler } from './outcome.ts';

type CancelReleaseCommand = Extract<Command, { type: 'CANCEL_RELEASE' }>;

export const cancelRelease: CommandHandler<CancelReleaseCommand> = (context, command) => {
  const { doc } = context;
  const found = findPack(doc, command.packId);
  if (!found.ok) return refused(`Cancel the pending release of ${command.packId}`, found.error, { packId: command.packId });
  const pack = found.value;
  const summary = `Cancel the pending release of ${pack.name}`;
  const planned = planReleaseCancel({
    releases: readReleases(doc, pack.id),
    instances: readInstances(doc).filter((instance) => instance.packId === pack.id),
  });
  if (!planned.ok) return refused(summary, planned.error, { packId: pack.id });
  const { release, releases, instances } = planned.value;
  doc.transact(() => {
    writeReleases(doc, pack.id, releases, context.origin);
    for (const instance of instances) writeInstance(doc, instance, context.origin);
  }, context.origin);
  const waiting = instances.length === 0 ? '' : ` ${plural(instances.length, 'installation')} no longer wait for it.`;
  return succeeded(
    summary,
    `${pack.name} release ${release.number}, pending until ${formatDate(release.releaseOnDate ?? '', dateStyleOf(readAccount(doc)))}, was cancelled.${waiting}`,
    {
      packId: pack.id,
      requestId: release.requestId,
      releaseNumber: release.number,
    },
  );
};
