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

export const HistoryPageSchema = v.object({
  records: v.pipe(
    v.array(
      v.looseObject({
        id: v.string(),
        seq: v.number(),
        kind: v.string(),
        actor: v.string(),
        at: v.string(),
        summary: v.string(),
        status: v.picklist(['SUCCESS', 'ERROR']),
      }),
    ),
    v.description('Newest first (by seq). Refused commands are included, recorded at a bounded rate per person.'),
  ),
  nextCursor: v.optional(v.pipe(v.string(), v.description('Pass as ?cursor= for the next (older) page; absent on the last page.'))),
});

export const RolloutSummarySchema = v.object({
  packId: v.string(),
  instances: v.number(),
  accounts: v.number(),
  byRelease: v.array(v.object({ releaseNumber: v.number(), instances: v.number() })),
  pending: v.number(),
  failed: v.number(),
});

export const RolloutPageSchema = v.object({
  rows: v.pipe(
    v.array(
      v.looseObject({
        instanceId: v.string(),
        managedAccountId: v.string(),
        accountName: v.string(),
        releaseNumber: v.number(),
        state: v.picklist(['CURRENT', 'PENDING', 'FAILED', 'BEHIND']),
      }),
    ),
    v.description('In (managed account id, instance id) order.'),
  ),
  nextCursor: v.optional(v.pipe(v.string(), v.description('Pass as ?cursor= for the next page; absent on the last page.'))),
  summary: v.optional(RolloutSummarySchema),
});
