/**
 * The rules of the page and the platform, one function each. The client calls them before it writes;
 * the server calls the same functions on every update it receives.
 */
import { limits } from './limits.ts';
import {
  ComponentType,
  InstallationType,
  type IntegrationPack,
  type PackInstance,
  type PublishedComponent,
  type PublisherAccount,
} from './model.ts';
import { fail, ok, okVoid, type Result } from './result.ts';
import { graphemeCount, isBlank, measureText, utf8Bytes } from './text.ts';

/**
 * Integration Pack Name: required (a name of only spaces or invisible characters is missing), trimmed,
 * at most `limits.nameMaxLength` characters, `limits.nameMaxBytes` bytes and no character longer than
 * `limits.graphemeMaxBytes` (none of which ordinary text reaches). Returns the trimmed name.
 */
export function validateName(name: unknown): Result<string> {
  if (typeof name !== 'string') return fail('NAME_INVALID', 'Integration Pack Name must be text.', 'name');
  if (name.length > limits.nameMaxBytes || utf8Bytes(name) > limits.nameMaxBytes)
    return fail('NAME_TOO_LARGE', `Integration Pack Name is too large to store (more than ${limits.nameMaxBytes} bytes).`, 'name');
  const trimmed = name.trim();
  if (isBlank(trimmed)) return fail('NAME_REQUIRED', 'Integration Pack Name is required.', 'name');
  const measure = measureText(trimmed);
  if (measure.longestGraphemeBytes > limits.graphemeMaxBytes)
    return fail('NAME_INVALID_CHARACTERS', STACKED_MARKS('Integration Pack Name'), 'name');
  if (measure.graphemes > limits.nameMaxLength)
    return fail('NAME_TOO_LONG', `Integration Pack Name can contain up to ${limits.nameMaxLength} characters.`, 'name');
  return ok(trimmed);
}

const STACKED_MARKS = (field: string) =>
  `${field} contains a character built from too many combining marks (more than ${limits.graphemeMaxBytes} bytes in one character).`;

/** Description: up to 500 characters, counted as a person counts them, and at most `limits.descriptionMaxBytes` bytes. */
export function validateDescription(description: unknown): Result<string> {
  if (typeof description !== 'string') return fail('DESCRIPTION_INVALID', 'Description must be text.', 'description');
  if (description.length > limits.descriptionMaxBytes || utf8Bytes(description) > limits.descriptionMaxBytes)
    return fail(
      'DESCRIPTION_TOO_LARGE',
      `The description is too large to store (more than ${limits.descriptionMaxBytes} bytes).`,
      'description',
    );
  const measure = measureText(description);
  if (measure.longestGraphemeBytes > limits.graphemeMaxBytes)
    return fail('DESCRIPTION_INVALID_CHARACTERS', STACKED_MARKS('The description'), 'description');
  if (measure.graphemes > limits.descriptionMaxLength)
    return fail(
      'DESCRIPTION_TOO_LONG',
      `The description can contain up to ${limits.descriptionMaxLength} characters (this one has ${measure.graphemes}).`,
      'description',
    );
  return ok(description);
}

/** The one pack-id rule: 1–100 letters, digits, '-', '_' or '.', not starting with '.' (ids appear in URLs). */
const PACK_ID = new RegExp(`^[A-Za-z0-9_-][A-Za-z0-9_.-]{0,${limits.packIdMaxLength - 1}}$`);
export const PACK_ID_RULE = `A pack id is 1 to ${limits.packIdMaxLength} letters, digits, '-', '_' or '.', and does not start with '.'.`;

/**
 * Whether a new pack may have this id (the document check and the commands use it). A pack stored
 * under an id from before the rule stays editable and deletable; only new ids must follow it.
 */
export function validatePackId(id: unknown): Result<string> {
  if (typeof id !== 'string' || !PACK_ID.test(id)) return fail('PACK_ID_INVALID', PACK_ID_RULE);
  return ok(id);
}

/** The types the Integration Pack Type list offers: both with the multi-install feature, else Single only. */
export function allowedInstallationTypes(account: Pick<PublisherAccount, 'multiInstallEnabled'>): InstallationType[] {
  return account.multiInstallEnabled ? [InstallationType.SINGLE, InstallationType.MULTI] : [InstallationType.SINGLE];
}

/** The Integration Pack Type list is shown only when the multi-install feature is enabled. */
export function showsInstallationTypeList(account: Pick<PublisherAccount, 'multiInstallEnabled'>): boolean {
  return account.multiInstallEnabled;
}

export function validateInstallationType(type: unknown, account: Pick<PublisherAccount, 'multiInstallEnabled'>): Result<InstallationType> {
  if (type !== InstallationType.SINGLE && type !== InstallationType.MULTI)
    return fail('TYPE_INVALID', 'Integration Pack Type must be Single Attachment or Multiple Attachments.', 'installationType');
  if (!allowedInstallationTypes(account).includes(type))
    return fail(
      'MULTI_INSTALL_DISABLED',
      'Multiple Attachments packs need the multi-install integration packs feature; this account can add only Single Attachment packs.',
      'installationType',
    );
  return ok(type);
}

/** "You cannot change the type once the integration pack is added." */
export function validateTypeUnchanged(before: InstallationType, after: unknown): Result<void> {
  if (after !== before)
    return fail('TYPE_FIXED', 'The Integration Pack Type cannot be changed once the integration pack is added.', 'installationType');
  return okVoid;
}

/** The spec's note, shown wherever an API Service component is refused for a multi-install pack. */
export const API_SERVICE_IN_MULTI_REASON = 'Multi-install integration packs cannot include API Service components';

/** Whether one component may be part of a pack of this type. */
export function validateComponentForPack(
  installationType: InstallationType,
  component: Pick<PublishedComponent, 'name' | 'type'> | undefined,
): Result<void> {
  if (!component) return fail('COMPONENT_UNKNOWN', 'That component is not published in this account.', 'components');
  if (installationType === InstallationType.MULTI && component.type === ComponentType.API_SERVICE)
    return fail('API_SERVICE_IN_MULTI', `${API_SERVICE_IN_MULTI_REASON} (${component.name}).`, 'components');
  return okVoid;
}

/** A pack's component list as a whole: each component allowed, and at most 100 of them. */
export function validatePackComponents(
  installationType: InstallationType,
  componentIds: readonly string[],
  catalog: ReadonlyMap<string, PublishedComponent>,
): Result<void> {
  if (new Set(componentIds).size > limits.componentsPerPack)
    return fail('TOO_MANY_COMPONENTS', `An integration pack can hold at most ${limits.componentsPerPack} components.`, 'components');
  for (const id of componentIds) {
    const result = validateComponentForPack(installationType, catalog.get(id));
    if (!result.ok) return result;
  }
  return okVoid;
}

/** A whole pack, as added or as it stands after an edit. */
export function validatePack(
  pack: Pick<IntegrationPack, 'name' | 'description' | 'installationType' | 'componentIds'>,
  account: Pick<PublisherAccount, 'multiInstallEnabled'>,
  catalog: ReadonlyMap<string, PublishedComponent>,
): Result<void> {
  const name = validateName(pack.name);
  if (!name.ok) return name;
  const description = validateDescription(pack.description);
  if (!description.ok) return description;
  const type = validateInstallationType(pack.installationType, account);
  if (!type.ok) return type;
  return validatePackComponents(pack.installationType, pack.componentIds, catalog);
}

export function latestVersion(component: Pick<PublishedComponent, 'versions'>): number | undefined {
  return component.versions.length === 0 ? undefined : Math.max(...component.versions);
}

/** Published versions are whole numbers; each publish adds the next one. */
export function nextVersionNumber(component: Pick<PublishedComponent, 'versions'>): number {
  return (latestVersion(component) ?? 0) + 1;
}

/**
 * Installing: single attachment once per managed account; multiple attachments each with its own name
 * (unique among that pack's instances in the account). `existing` may hold other packs' instances too:
 * only those of `pack.id` count (when the pack has no id, all of `existing` is taken as this pack's).
 */
export function validateInstall(
  pack: Pick<IntegrationPack, 'installationType' | 'name'> & { id?: string },
  managedAccountId: string,
  overrideName: string | undefined,
  existing: readonly Pick<PackInstance, 'managedAccountId' | 'packId' | 'overrideName'>[],
): Result<string | undefined> {
  const inAccount = existing.filter(
    (instance) => instance.managedAccountId === managedAccountId && (pack.id === undefined || instance.packId === pack.id),
  );
  if (pack.installationType === InstallationType.SINGLE) {
    if (inAccount.length > 0)
      return fail('ALREADY_INSTALLED', `${pack.name} is a Single Attachment integration pack and is already installed in this account.`);
    return ok(undefined);
  }
  const name = (overrideName ?? '').trim();
  if (name === '') return fail('OVERRIDE_NAME_REQUIRED', 'Each instance of a Multiple Attachments pack needs its own name.');
  if (graphemeCount(name) > limits.overrideNameMaxLength)
    return fail('OVERRIDE_NAME_TOO_LONG', `An instance name can contain up to ${limits.overrideNameMaxLength} characters.`);
  if (inAccount.some((instance) => instance.overrideName?.toLowerCase() === name.toLowerCase()))
    return fail('OVERRIDE_NAME_TAKEN', `An instance named "${name}" is already installed in this account.`);
  return ok(name);
}
