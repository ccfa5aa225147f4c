/** The common frame of commands on one installation: find it, check the actor may touch it, name it. */
import type { PackInstance } from '../../shared/model.ts';
import { canActForManagedAccount, instanceLabel } from '../../shared/release-instances.ts';
import type { CommandContext } from './execute.ts';
import { findInstance, packName, refused, type Outcome } from './outcome.ts';

export interface InstanceScope {
  instance: PackInstance;
  /** e.g. "Orders (EU) in Acme" */
  label: string;
  accountName: string;
  base: { packId: string; managedAccountId: string; instanceId: string };
}

/** Runs `body` on the instance, or returns why it cannot (unknown instance, someone else's account). */
export function onInstance(
  context: CommandContext,
  instanceId: string,
  verb: string,
  body: (scope: InstanceScope, summary: string) => Outcome,
): Outcome {
  const found = findInstance(context.records, instanceId);
  if (!found.ok) return refused(`${verb} installation ${instanceId}`, found.error, { instanceId });
  const instance = found.value;
  const accountName = context.records.managedAccounts.get(instance.managedAccountId)?.name ?? instance.managedAccountId;
  const label = instanceLabel(instance, packName(context.doc, context.records, instance.packId));
  const base = { packId: instance.packId, managedAccountId: instance.managedAccountId, instanceId };
  const summary = `${verb} ${label} in ${accountName}`;
  const allowed = canActForManagedAccount(context.actor, instance.managedAccountId);
  if (!allowed.ok) return refused(summary, allowed.error, base);
  return body({ instance, label, accountName, base }, summary);
}
