/** RELEASE: Release Immediate or Release Pending (ReleaseIntegrationPack). */
import type { Command } from '../../shared/commands.ts';
import { derivePublications } from '../../shared/publications.ts';
import { dateStyleOf, formatDate } from '../../shared/date-format.ts';
import { planRelease, releaseReach } from '../../shared/release-plan.ts';
import { currentRelease } from '../../shared/releases.ts';
import { validatePackComponents } from '../../shared/rules.ts';
import { readAccount, readCatalog, readInstances, readReleases, writeInstance, writeReleases } from '../../shared/schema.ts';
import { findPack, plural, refused, succeeded, type CommandHandler } from './outcome.ts';

type ReleaseCommand = Extract<Command, { type: 'RELEASE' }>;

export const requestIdFor = (idempotencyKey: string): string => `rq_${idempotencyKey}`;
/** The idempotency key of the RELEASE that made a requestId (its result is stored under it). */
export const idempotencyKeyOfRequest = (requestId: string): string | undefined =>
  requestId.startsWith('rq_') ? requestId.slice(3) : undefined;

export const release: CommandHandler<ReleaseCommand> = (context, command) => {
  const { doc } = context;
  const style = dateStyleOf(readAccount(doc));
  const scheduleText =
    command.releaseSchedule === 'IMMEDIATELY'
      ? 'Release Immediate'
      : `Release Pending on ${command.releaseOnDate ? formatDate(command.releaseOnDate, style) : '(no date)'}`;
  const found = findPack(doc, command.packId);
  if (!found.ok) return refused(`${scheduleText} of ${command.packId}`, found.error, { packId: command.packId });
  const pack = found.value;
  const summary = `${scheduleText} of ${pack.name}`;
  const base = { packId: pack.id };

  const catalog = readCatalog(doc);
  const components = validatePackComponents(pack.installationType, pack.componentIds, catalog);
  if (!components.ok) return refused(summary, components.error, base);

  const timeZone = style.timeZone;
  const releases = readReleases(doc, pack.id);
  const rows = derivePublications({ componentIds: pack.componentIds, currentRelease: currentRelease(releases), catalog });
  const instances = readInstances(doc).filter((instance) => instance.packId === pack.id);
  const requestId = requestIdFor(context.idempotencyKey);
  const planned = planRelease({
    packId: pack.id,
    request: { releaseSchedule: command.releaseSchedule, releaseOnDate: command.releaseOnDate },
    rows,
    releases,
    instances,
    catalog,
    timeZone,
    locale: style.locale,
    now: context.now,
    releasedBy: context.actor.personName,
    requestId,
    components: command.components,
  });
  if (!planned.ok) return refused(summary, planned.error, base);
  const plan = planned.value;

  doc.transact(() => {
    writeReleases(doc, pack.id, plan.releases, context.origin);
    for (const instance of plan.instances) writeInstance(doc, instance, context.origin);
  }, context.origin);

  const { number } = plan.release;
  const reach = releaseReach(instances, pack.id);
  const where = `${plural(reach.instances, 'instance')} in ${plural(reach.accounts, 'managed account')}`;
  const failed = plan.instances.filter((instance) => instance.failedReleaseNumber === number).length;
  let message: string;
  if (plan.release.status === 'SCHEDULED')
    message =
      number === 1
        ? `${pack.name} release 1 is scheduled: it can be installed from ${formatDate(plan.release.releaseOnDate ?? '', style)}.`
        : `${pack.name} release ${number} is pending until ${formatDate(plan.release.releaseOnDate ?? '', style)}: ${where} can apply it early; the rest get it on that date.`;
  else
    message =
      number === 1
        ? `${pack.name} release 1 is released and can be installed now.`
        : `${pack.name} release ${number} is released and applied to ${where}${failed > 0 ? ` (${failed} failed to apply)` : ''}.`;
  if (plan.superseded) message += ` It supersedes pending release ${plan.superseded.number}.`;
  return succeeded(summary, message, { ...base, requestId, releaseNumber: number });
};
