/**
 * Response schemas of the internal /api routes, for the OpenAPI document (the bodies are the shared
 * TypeScript types; these describe their top level for readers of /api/docs).
 */
import * as v from 'valibot';
import { ROLES, type Me } from '../../shared/identity.ts';

/** GET /api/me's body (shared/identity.ts Me), for /api/docs. */
export const SessionSchema = v.object({
  accountId: v.string(),
  role: v.picklist(ROLES),
  personId: v.string(),
  personName: v.string(),
  managedAccountId: v.optional(v.string()),
});
// The schema describes exactly the shared type: this fails to compile when the two drift apart.
const sameAsMe: [v.InferOutput<typeof SessionSchema>, Me] extends [Me, v.InferOutput<typeof SessionSchema>] ? true : never = true;
void sameAsMe;

export const PublishedComponentSchema = v.object({
  id: v.string(),
  name: v.string(),
  type: v.picklist(['PROCESS', 'API_SERVICE']),
  versions: v.pipe(v.array(v.number()), v.description('Whole numbers, ascending; a version is never deleted.')),
});

export const AccountSummarySchema = v.looseObject({
  accountId: v.string(),
  accountName: v.string(),
  timeZone: v.string(),
  locale: v.pipe(v.string(), v.description("The publisher's BCP 47 locale for dates.")),
  generatedAt: v.string(),
  packs: v.array(v.looseObject({})),
  pendingReleases: v.array(v.looseObject({})),
  managedAccounts: v.array(v.looseObject({})),
  badgeCount: v.number(),
});

export const ManagedViewSchema = v.looseObject({
  managedAccountId: v.string(),
  managedAccountName: v.string(),
  timeZone: v.pipe(v.string(), v.description("The publisher's IANA time zone: dates are written in it.")),
  locale: v.pipe(v.string(), v.description("The publisher's BCP 47 locale for dates.")),
  instances: v.array(v.looseObject({})),
  installable: v.array(v.looseObject({})),
});
