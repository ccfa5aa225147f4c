/**
 * Rules for a managed account's installations (IntegrationPackInstance) and their Atom and
 * environment attachments. Pure: the server's commands call them on the document's current state.
 */
import type { CommandRole } from './commands.ts';
import type { IntegrationPack, PackInstance, Release } from './model.ts';
import { installableRelease, pendingRelease } from './releases.ts';
import { fail, ok, okVoid, type Result } from './result.ts';
import { validateInstall } from './rules.ts';

/** Who sends a command, as far as the rules care. */
export interface CommandActor {
  role: CommandRole;
  /** For role 'managed': the managed account the person belongs to. */
  managedAccountId?: string;
}

/** Admins act on any managed account; a managed account's user only on their own. */
export function canActForManagedAccount(actor: CommandActor, managedAccountId: string): Result<void> {
  if (actor.role === 'admin' || actor.role === 'system') return okVoid;
  if (actor.role === 'managed' && actor.managedAccountId !== undefined && actor.managedAccountId === managedAccountId) return okVoid;
  if (actor.role === 'managed') return fail('FORBIDDEN', 'You can change only the installations of your own managed account.');
  return fail('FORBIDDEN', 'Viewers cannot change installations.');
}

export interface InstallInput {
  instanceId: string;
  pack: Pick<IntegrationPack, 'id' | 'name' | 'installationType'>;
  managedAccountId: string;
  overrideName: string | undefined;
  releases: readonly Release[];
  /** Every instance of the account's document; only this pack's count. */
  instances: readonly PackInstance[];
  now: Date;
}

/**
 * A new instance runs the release in effect; during a testing period it also gets the pending
 * update, like the instances installed before it.
 */
export function planInstall(input: InstallInput): Result<PackInstance> {
  const installable = installableRelease(input.releases);
  if (!installable) {
    const pending = pendingRelease(input.releases);
    return pending
      ? fail('NOT_RELEASED_YET', `${input.pack.name} can be installed from ${pending.releaseOnDate}, its release date.`)
      : fail('NOT_RELEASED', `${input.pack.name} has not been released yet.`);
  }
  const samePack = input.instances.filter((instance) => instance.packId === input.pack.id);
  const name = validateInstall(input.pack, input.managedAccountId, input.overrideName, samePack);
  if (!name.ok) return name;
  const pending = pendingRelease(input.releases);
  return ok({
    id: input.instanceId,
    packId: input.pack.id,
    managedAccountId: input.managedAccountId,
    ...(name.value === undefined ? {} : { overrideName: name.value }),
    releaseNumber: installable.number,
    ...(pending && pending.number > installable.number ? { pendingReleaseNumber: pending.number } : {}),
    atomIds: [],
    environmentIds: [],
    installedAt: input.now.toISOString(),
  });
}

export type AttachmentKind = 'atom' | 'environment';
const label: Record<AttachmentKind, string> = { atom: 'Atom', environment: 'Environment' };
const field = { atom: 'atomIds', environment: 'environmentIds' } as const;

/** IntegrationPackAtomAttachment / IntegrationPackEnvironmentAttachment: attach once per instance. */
export function attachTo(instance: PackInstance, kind: AttachmentKind, id: string): Result<PackInstance> {
  const trimmed = id.trim();
  if (trimmed === '') return fail('ATTACHMENT_ID_REQUIRED', `${label[kind]} id is required.`);
  const list = instance[field[kind]];
  if (list.includes(trimmed)) return fail('ALREADY_ATTACHED', `${label[kind]} ${trimmed} is already attached to this installation.`);
  return ok({ ...instance, [field[kind]]: [...list, trimmed].sort() });
}

export function detachFrom(instance: PackInstance, kind: AttachmentKind, id: string): Result<PackInstance> {
  const list = instance[field[kind]];
  if (!list.includes(id)) return fail('NOT_ATTACHED', `${label[kind]} ${id} is not attached to this installation.`);
  return ok({ ...instance, [field[kind]]: list.filter((item) => item !== id) });
}

/** The name a person knows an installation by: the override name of a multiple-attachment instance, else the pack's. */
export function instanceLabel(instance: Pick<PackInstance, 'overrideName'>, packName: string): string {
  return instance.overrideName ? `${packName} (${instance.overrideName})` : packName;
}
