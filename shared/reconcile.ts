/**
 * What the server keeps of a client's edit to one pack. Given the last valid state and what the
 * document now says, returns the state to keep and a violation for each part that was reverted.
 * Pure: the server applies the result with `repairPack` in a server-origin transaction.
 */
import { limits } from './limits.ts';
import type { IntegrationPack, PackTombstone, PublishedComponent, PublisherAccount } from './model.ts';
import type { RuleError } from './result.ts';
import { validateComponentForPack, validateDescription, validateInstallationType, validateName, validateTypeUnchanged } from './rules.ts';
import type { RawPack } from './schema.ts';

/** When and by whom a new pack was added, as the server records it (whatever the client wrote). */
export interface PackStamp {
  createdAt: string;
  createdBy: string;
}

export interface ReconcileContext {
  account: Pick<PublisherAccount, 'multiInstallEnabled'>;
  catalog: ReadonlyMap<string, PublishedComponent>;
  tombstones: ReadonlyMap<string, PackTombstone>;
  /** Given by the server: a new pack keeps these instead of the client's createdAt/createdBy. */
  stamp?: PackStamp;
}

export interface Violation extends RuleError {
  packId: string;
}

export interface Reconciled {
  accepted: IntegrationPack | undefined;
  violations: Violation[];
}

export function reconcilePack(
  packId: string,
  previous: IntegrationPack | undefined,
  raw: RawPack | undefined,
  context: ReconcileContext,
): Reconciled {
  const violations: Violation[] = [];
  const violate = (error: RuleError) => violations.push({ ...error, packId });

  if (!raw) {
    if (!previous) return { accepted: undefined, violations };
    violate({
      code: 'DELETE_IS_A_COMMAND',
      message: `Integration pack "${previous.name}" was restored: deleting a pack goes through Delete Integration Pack, which also uninstalls it.`,
    });
    return { accepted: previous, violations };
  }

  if (!previous) return reconcileNewPack(packId, raw, context, violate, violations);

  const accepted: IntegrationPack = { ...previous };
  if (raw.name !== previous.name) {
    const name = validateName(raw.name);
    if (!name.ok) violate(name.error);
    else {
      accepted.name = name.value;
      if (name.value !== raw.name) violate(NAME_TRIMMED);
    }
  }
  if (raw.description !== previous.description) {
    const description = validateDescription(raw.description);
    if (description.ok) accepted.description = description.value;
    else violate(description.error);
  }
  if (raw.installationType !== previous.installationType) {
    const unchanged = validateTypeUnchanged(previous.installationType, raw.installationType);
    if (!unchanged.ok) violate(unchanged.error);
  }
  if (raw.createdAt !== previous.createdAt || raw.createdBy !== previous.createdBy)
    violate({ code: 'CREATED_FIXED', message: 'When and by whom a pack was added cannot be changed.' });
  if (raw.unknownKeys.length > 0)
    violate({ code: 'UNKNOWN_FIELD', message: `Unknown pack fields were removed: ${raw.unknownKeys.join(', ')}.` });
  if (!raw.componentsIsMap)
    violate({ code: 'COMPONENTS_INVALID', message: "The pack's component list was malformed and was restored.", field: 'components' });

  accepted.componentIds = acceptComponents(previous, raw.componentsIsMap ? raw.componentIds : previous.componentIds, context, violate);
  reportComponentValues(raw, accepted, violate);
  return { accepted, violations };
}

/** A valid name saved with surrounding spaces is kept trimmed; the notice explains the change. */
const NAME_TRIMMED: RuleError = {
  code: 'NAME_NOT_TRIMMED',
  message: 'Integration Pack Name was saved without its leading and trailing spaces.',
  field: 'name',
};

function reportComponentValues(raw: RawPack, accepted: IntegrationPack, violate: (error: RuleError) => void): void {
  const kept = new Set(accepted.componentIds);
  const marked = (raw.componentIdsNotTrue ?? []).filter((id) => kept.has(id));
  if (marked.length > 0)
    violate({
      code: 'COMPONENT_VALUE_INVALID',
      message: `A pack's components are marked with true; the values of ${marked.join(', ')} were replaced.`,
      field: 'components',
    });
}

function reconcileNewPack(
  packId: string,
  raw: RawPack,
  context: ReconcileContext,
  violate: (error: RuleError) => void,
  violations: Violation[],
): Reconciled {
  const tombstone = context.tombstones.get(packId);
  if (tombstone) {
    violate({
      code: 'PACK_DELETED',
      message: `Integration pack "${tombstone.name}" was deleted by ${tombstone.deletedBy} on ${tombstone.deletedAt.slice(0, 10)}; edits made to it since were dropped.`,
    });
    return { accepted: undefined, violations };
  }
  const checks = [
    validateName(raw.name),
    validateDescription(raw.description),
    validateInstallationType(raw.installationType, context.account),
  ];
  for (const check of checks) if (!check.ok) violate(check.error);
  const stamped = context.stamp !== undefined;
  if (
    (!stamped && (typeof raw.createdAt !== 'string' || typeof raw.createdBy !== 'string')) ||
    !raw.componentsIsMap ||
    raw.unknownKeys.length > 0
  )
    violate({ code: 'PACK_MALFORMED', message: 'The new integration pack was malformed.' });
  if (violations.length > 0) {
    violations[0]!.message = `The new integration pack was not added: ${violations[0]!.message}`;
    return { accepted: undefined, violations };
  }
  const name = (raw.name as string).trim();
  if (name !== raw.name) violate(NAME_TRIMMED);
  const accepted: IntegrationPack = {
    id: packId,
    name,
    description: raw.description as string,
    installationType: raw.installationType as IntegrationPack['installationType'],
    componentIds: [],
    createdAt: context.stamp?.createdAt ?? (raw.createdAt as string),
    createdBy: context.stamp?.createdBy ?? (raw.createdBy as string),
  };
  accepted.componentIds = acceptComponents(accepted, raw.componentIds, context, violate);
  reportComponentValues(raw, accepted, violate);
  return { accepted, violations };
}

/**
 * Removals are always kept; each addition is kept when it is allowed. Past the limit (which only a
 * merge of edits that were each valid can cross: our page never adds past it) the pack keeps the first
 * components by id, whatever order the edits arrived in, so every replica and every server instance
 * comes to the same pack.
 */
function acceptComponents(
  previous: Pick<IntegrationPack, 'componentIds' | 'installationType'>,
  wanted: readonly string[],
  context: ReconcileContext,
  violate: (error: RuleError) => void,
): string[] {
  const before = new Set(previous.componentIds);
  const allowed: string[] = [];
  for (const id of wanted) {
    const check = before.has(id) ? undefined : validateComponentForPack(previous.installationType, context.catalog.get(id));
    if (check && !check.ok) violate(check.error);
    else allowed.push(id);
  }
  allowed.sort();
  if (allowed.length <= limits.componentsPerPack) return allowed;
  const dropped = allowed.slice(limits.componentsPerPack);
  violate({
    code: 'TOO_MANY_COMPONENTS',
    message: `An integration pack can hold at most ${limits.componentsPerPack} components; with everyone's changes it had ${allowed.length}, so the last ${dropped.length} by id were removed (${dropped.slice(0, 3).join(', ')}${dropped.length > 3 ? ', …' : ''}).`,
    field: 'components',
  });
  return allowed.slice(0, limits.componentsPerPack);
}
