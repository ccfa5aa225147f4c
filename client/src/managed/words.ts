/** The managed page's sentences: its connection status, and what a queued command will do. */
import type { Command } from '../../../shared/commands.ts';
import { dateStyleOf, formatDateTime } from '../../../shared/date-format.ts';
import type { ManagedInstanceView, ManagedView } from '../../../shared/rollout.ts';
import type { ManagedStatus } from '../../core/api.ts';
import { queuedText } from '../format.ts';

export const instanceName = (instance: Pick<ManagedInstanceView, 'packName' | 'overrideName'>): string =>
  instance.overrideName ? `${instance.packName} (${instance.overrideName})` : instance.packName;

/** "Offline — showing what this device received Dec 2, 2026, 3:40 AM (UTC) · 1 command queued". */
export function managedStatusText(
  status: ManagedStatus,
  view: ManagedView | undefined,
  viewAt: string | undefined,
  queued: number,
): string {
  const received = viewAt ? ` — showing what this device received ${formatDateTime(viewAt, dateStyleOf(view))}` : '';
  const state =
    status.state === 'online'
      ? 'Up to date'
      : status.state === 'connecting'
        ? 'Connecting'
        : status.state === 'unreachable'
          ? `The server does not answer${received}`
          : `Offline${received}`;
  return queued > 0 ? `${state} · ${queuedText(queued)}` : state;
}

/** What a command does, in the page's words ("Uninstall Order Fulfillment (East)"). */
export function commandText(command: Command, view: ManagedView | undefined): string {
  const instance = 'instanceId' in command ? view?.instances.find((item) => item.instanceId === command.instanceId) : undefined;
  const target = instance ? instanceName(instance) : 'an installation';
  switch (command.type) {
    case 'INSTALL': {
      const pack = view?.installable.find((item) => item.packId === command.packId)?.name ?? command.packId;
      return `Install ${pack}${command.integrationPackOverrideName ? ` (${command.integrationPackOverrideName})` : ''}`;
    }
    case 'APPLY_UPDATE':
      return `Apply update to ${target}`;
    case 'UNINSTALL':
      return `Uninstall ${target}`;
    case 'ATTACH_ATOM':
      return `Attach Atom ${command.atomId} to ${target}`;
    case 'DETACH_ATOM':
      return `Detach Atom ${command.atomId} from ${target}`;
    case 'ATTACH_ENVIRONMENT':
      return `Attach environment ${command.environmentId} to ${target}`;
    case 'DETACH_ENVIRONMENT':
      return `Detach environment ${command.environmentId} from ${target}`;
    default:
      return command.type;
  }
}
