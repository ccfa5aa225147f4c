/** RELEASE: Release Immediate or Release Pending (ReleaseIntegrationPack). */
import type { Command } from '../../shared/commands.ts';
import { derivePublications } from '../../shared/publications.ts';
import { dateStyleOf, formatDate } from '../../shared/date-format.ts';
import { planRelease } from '../../shared/release-plan.ts';
import { summarizeRollout } from '../../shared/rollout.ts';
import { currentRelease } from '../../shared/releases.ts';
import { validatePackComponents } from '../../shared/rules.ts';
import { findPack, plural, refused, succeeded, type CommandHandler } from './outcome.ts';

type ReleaseCommand = Extract<Command, { type: 'RELEASE' }>;

export const requestIdFor = (idempotencyKey: string): string => `rq_${idempotencyKey}`;
/** The idempotency key of the RELEASE that made a requestId (its result is stored under it). */
export const idempotencyKeyOfRequest = (requestId: string): string | undefined =>
  requestId.startsWith('rq_') ? requestId.slice(3) : undefined;

export const release: CommandHandler<ReleaseCommand> = (context, command) => {
  const { doc, records } = context;
  const style = dateStyleOf(records.account);
  const scheduleText =
    command.releaseSchedule === 'IMMEDIATELY'
      ? 'Release Immediate'
      : `Release Pending on ${command.releaseOnDate ? formatDate(command.releaseOnDate, style) : '(no date)'}`;
  const found = findPack(doc, records, command.packId);
  if (!found.ok) return refused(`${scheduleText} of ${command.packId}`, found.error, { packId: command.packId });
  const pack = found.value;
  const summary = `${scheduleText} of ${pack.name}`;
  const base = { packId: pack.id };

  const { catalog } = records;
  const components = validatePackComponents(pack.installationType, pack.componentIds, catalog);
  if (!components.ok) return refused(summary, components.error, base);

  const timeZone = style.timeZone;
  const releases = records.releases(pack.id);
  const rows = derivePublications({ componentIds: pack.componentIds, currentRelease: currentRelease(releases), catalog });
  const requestId = requestIdFor(context.idempotencyKey);
  const planned = planRelease({
    packId: pack.id,
    request: { releaseSchedule: command.releaseSchedule, releaseOnDate: command.releaseOnDate },
    notes: command.notes,
    rows,
    releases,
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

  records.putReleases(pack.id, plan.releases);
  const changed = records.applyEffect(plan.effect);

  const { number } = plan.release;
  const reach = summarizeRollout(pack.id, records.instancesOfPack(pack.id));
  const where = `${plural(reach.instances, 'instance')} in ${plural(reach.accounts, 'managed account')}`;
  const failed = plan.effect.change === 'fail' ? changed : 0;
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
  const counts = plan.release.status === 'SCHEDULED' ? {} : { instancesUpdated: changed - failed, instancesFailed: failed };
  return succeeded(summary, message, { ...base, requestId, releaseNumber: number, ...counts });
};
