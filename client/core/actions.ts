/**
 * One plan per user action: checks the action with the rules in shared/ against the document as it
 * stands, and says how to apply it. Pure apart from reading the doc; nothing is written here (the
 * LocalEditor applies and commits plans, workspace.ts queues commands).
 */
import type * as Y from 'yjs';
import {
  currentRelease,
  derivePublications,
  fail,
  ok,
  PackKey,
  packsMap,
  readAccount,
  readPack,
  readReleases,
  readTombstones,
  Root,
  validateDescription,
  validateInstallationType,
  validateName,
  validatePackComponents,
  validateReleaseRequest,
  writeAddComponents,
  writeNewPack,
  writePackDescription,
  writePackName,
  type Command,
  type IntegrationPack,
  type PublishedComponent,
  type Result,
} from '../../shared/index.ts';
import { type AccountSettings, validateAccountSettings } from '../../shared/account-settings.ts';
import { validateReleaseNotes } from '../../shared/release-notes.ts';
import { planReleaseCancel, planReleaseUpdate } from '../../shared/release-changes.ts';
import { publisherTimeZone } from '../../shared/release-plan.ts';
import { catalogView, readRollout } from '../../shared/schema.ts';
import { countOf, Noun } from '../../shared/words.ts';
import type { NewPackInput, ReleaseInput, Session } from './api.ts';

export interface EditContext {
  doc: Y.Doc;
  session: Session;
  now(): Date;
  newId(): string;
}

/**
 * How to apply a checked action. Edits with `undo` go on this person's undo stack of that pack,
 * labelled with what they change (and are reverted through it if they cannot be stored); the
 * others (adding a pack) cannot be undone and bring their own `revert`.
 */
export interface EditPlan<T> {
  value: T;
  apply(origin: unknown): void;
  undo?: { packId: string; what: string };
  revert?(origin: unknown): void;
}

const componentNames = (doc: Y.Doc, ids: readonly string[]): string => {
  const catalog = catalogSubset(doc, ids);
  return ids.length === 1 ? (catalog.get(ids[0]!)?.name ?? 'a component') : countOf(ids.length, Noun.component);
};

const readOnly = (session: Session) =>
  fail(
    'READ_ONLY',
    session.role === 'viewer'
      ? 'Viewers can look at integration packs but not change them.'
      : 'Only publisher admins can change integration packs.',
  );

function requireEditor(session: Session): Result<void> {
  return session.role === 'admin' ? ok(undefined) : readOnly(session);
}

/** The pack, or an error that explains where it went. */
function requirePack(doc: Y.Doc, packId: string): Result<IntegrationPack> {
  const pack = readPack(doc, packId);
  if (pack) return ok(pack);
  const tombstone = readTombstones(doc).get(packId);
  return tombstone
    ? fail(
        'PACK_DELETED',
        `Integration pack "${tombstone.name}" was deleted by ${tombstone.deletedBy} on ${tombstone.deletedAt.slice(0, 10)}.`,
      )
    : fail('PACK_NOT_FOUND', 'That integration pack does not exist (any more).');
}

/** The catalog entries for some ids, without copying the whole catalog. */
export function catalogSubset(doc: Y.Doc, ids: Iterable<string>): Map<string, PublishedComponent> {
  const catalog = doc.getMap<PublishedComponent>(Root.catalog);
  const subset = new Map<string, PublishedComponent>();
  for (const id of ids) {
    const component = catalog.get(id);
    if (component) subset.set(id, component);
  }
  return subset;
}

const accountOf = (doc: Y.Doc) => readAccount(doc) ?? { multiInstallEnabled: false, timeZone: 'UTC' };

export function planAddPack(ctx: EditContext, input: NewPackInput): Result<EditPlan<string>> {
  const editor = requireEditor(ctx.session);
  if (!editor.ok) return editor;
  const name = validateName(input.name);
  if (!name.ok) return name;
  const description = validateDescription(input.description);
  if (!description.ok) return description;
  const type = validateInstallationType(input.installationType, accountOf(ctx.doc));
  if (!type.ok) return type;
  const pack: IntegrationPack = {
    id: ctx.newId(),
    name: name.value,
    description: description.value,
    installationType: type.value,
    componentIds: [],
    createdAt: ctx.now().toISOString(),
    createdBy: ctx.session.personName || ctx.session.personId,
  };
  return ok({
    value: pack.id,
    apply: (origin) => writeNewPack(ctx.doc, pack, origin),
    revert: (origin) => ctx.doc.transact(() => packsMap(ctx.doc).delete(pack.id), origin),
  });
}

export function planSavePack(ctx: EditContext, packId: string, fields: { name: string; description: string }): Result<EditPlan<void>> {
  const editor = requireEditor(ctx.session);
  if (!editor.ok) return editor;
  const pack = requirePack(ctx.doc, packId);
  if (!pack.ok) return pack;
  const name = validateName(fields.name);
  if (!name.ok) return name;
  const description = validateDescription(fields.description);
  if (!description.ok) return description;
  const nameChanged = name.value !== pack.value.name;
  const descriptionChanged = description.value !== pack.value.description;
  const what = nameChanged && descriptionChanged ? 'name and description of' : nameChanged ? 'name of' : 'description of';
  return ok({
    value: undefined,
    undo: { packId, what },
    apply: (origin) =>
      ctx.doc.transact(() => {
        // Only what changed: an unchanged field must not overwrite someone else's concurrent edit.
        if (nameChanged) writePackName(ctx.doc, packId, name.value, origin);
        if (descriptionChanged) writePackDescription(ctx.doc, packId, description.value, origin);
      }, origin),
  });
}

export function planAddComponents(ctx: EditContext, packId: string, componentIds: readonly string[]): Result<EditPlan<void>> {
  const editor = requireEditor(ctx.session);
  if (!editor.ok) return editor;
  const pack = requirePack(ctx.doc, packId);
  if (!pack.ok) return pack;
  const current = new Set(pack.value.componentIds);
  const added = [...new Set(componentIds)].filter((id) => !current.has(id));
  const all = [...pack.value.componentIds, ...added];
  const allowed = validatePackComponents(pack.value.installationType, all, catalogSubset(ctx.doc, all));
  if (!allowed.ok) return allowed;
  return ok({
    value: undefined,
    undo: { packId, what: `adding ${componentNames(ctx.doc, added)} to` },
    apply: (origin) => writeAddComponents(ctx.doc, packId, added, origin),
  });
}

export function planRemoveComponent(ctx: EditContext, packId: string, componentId: string): Result<EditPlan<void>> {
  const editor = requireEditor(ctx.session);
  if (!editor.ok) return editor;
  const pack = requirePack(ctx.doc, packId);
  if (!pack.ok) return pack;
  if (!pack.value.componentIds.includes(componentId))
    return fail('COMPONENT_NOT_IN_PACK', 'That component is not in this integration pack.', 'components');
  return ok({
    value: undefined,
    undo: { packId, what: `removing ${componentNames(ctx.doc, [componentId])} from` },
    apply: (origin) =>
      ctx.doc.transact(() => {
        const components = (packsMap(ctx.doc).get(packId) as Y.Map<unknown>).get(PackKey.components) as Y.Map<true>;
        // Overwrite, then delete: a bare delete does not advance this client's clock, so the server's
        // stored state vector could never show that the removal was stored (see unstored.ts).
        components.set(componentId, true);
        components.delete(componentId);
      }, origin),
  });
}

export function planDeletePack(ctx: EditContext, packId: string): Result<Command> {
  const editor = requireEditor(ctx.session);
  if (!editor.ok) return editor;
  const pack = requirePack(ctx.doc, packId);
  if (!pack.ok) return pack;
  return ok({ type: 'DELETE_PACK', packId });
}

export function planRelease(ctx: EditContext, packId: string, input: ReleaseInput): Result<Command> {
  const editor = requireEditor(ctx.session);
  if (!editor.ok) return editor;
  const pack = requirePack(ctx.doc, packId);
  if (!pack.ok) return pack;
  const releases = readReleases(ctx.doc, packId);
  const current = currentRelease(releases);
  const ids = new Set([...pack.value.componentIds, ...(current?.components.map((c) => c.componentId) ?? [])]);
  const rows = derivePublications({ componentIds: pack.value.componentIds, currentRelease: current, catalog: catalogSubset(ctx.doc, ids) });
  const request = validateReleaseRequest(input, rows, releases, publisherTimeZone(readAccount(ctx.doc)), ctx.now());
  if (!request.ok) return request;
  const notes = validateReleaseNotes(input.notes);
  if (!notes.ok) return notes;
  return ok({
    type: 'RELEASE',
    packId,
    releaseSchedule: request.value.releaseSchedule,
    ...(request.value.releaseOnDate ? { releaseOnDate: request.value.releaseOnDate } : {}),
    ...(notes.value === undefined ? {} : { notes: notes.value }),
  });
}

/** The pack's releases and installations, as the pending-release rules take them. */
function scheduledChangeInput(ctx: EditContext, packId: string) {
  return {
    releases: readReleases(ctx.doc, packId),
    rollout: readRollout(ctx.doc, packId),
    catalog: catalogView(ctx.doc),
    timeZone: publisherTimeZone(readAccount(ctx.doc)),
    now: ctx.now(),
  };
}

/** Reschedule: the release pending its date moves to another date (after today). */
export function planUpdateRelease(ctx: EditContext, packId: string, releaseOnDate: string): Result<Command> {
  const editor = requireEditor(ctx.session);
  if (!editor.ok) return editor;
  const pack = requirePack(ctx.doc, packId);
  if (!pack.ok) return pack;
  const planned = planReleaseUpdate(scheduledChangeInput(ctx, packId), { releaseOnDate });
  if (!planned.ok) return planned;
  return ok({ type: 'UPDATE_RELEASE', packId, releaseOnDate });
}

/** New release notes for the release pending its date ('' removes them; also after an early apply). */
export function planReleaseNotesChange(ctx: EditContext, packId: string, notes: string): Result<Command> {
  const editor = requireEditor(ctx.session);
  if (!editor.ok) return editor;
  const pack = requirePack(ctx.doc, packId);
  if (!pack.ok) return pack;
  const planned = planReleaseUpdate(scheduledChangeInput(ctx, packId), { notes });
  if (!planned.ok) return planned;
  return ok({ type: 'UPDATE_RELEASE', packId, notes: planned.value.release.notes ?? '' });
}

/** Cancel the release pending its date (not once an installation applied it early). */
export function planCancelRelease(ctx: EditContext, packId: string): Result<Command> {
  const editor = requireEditor(ctx.session);
  if (!editor.ok) return editor;
  const pack = requirePack(ctx.doc, packId);
  if (!pack.ok) return pack;
  const planned = planReleaseCancel(scheduledChangeInput(ctx, packId));
  if (!planned.ok) return planned;
  return ok({ type: 'CANCEL_RELEASE', packId });
}

/** The account's time zone and date locale (SET_ACCOUNT_SETTINGS), admins only. */
export function planSetAccountSettings(ctx: EditContext, settings: AccountSettings): Result<Command> {
  const editor = requireEditor(ctx.session);
  if (!editor.ok) return editor;
  const checked = validateAccountSettings(settings);
  if (!checked.ok) return checked;
  return ok({ type: 'SET_ACCOUNT_SETTINGS', ...checked.value });
}
