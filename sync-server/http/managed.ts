/**
 * GET /api/managed → the managed account's view (ManagedView): its installations with the pack name,
 * the release each runs, a pending update with its date, Atoms and environments; and the released
 * packs it may install. For a managed-role token, its own managed account. An admin of the publisher
 * may look at one of its managed accounts with `?managedAccountId=`. Read from the account's records
 * (the installations live only there) and the document's packs.
 */
import * as v from 'valibot';
import { deriveManagedView } from '../../shared/rollout.ts';
import { dateStyleOf } from '../../shared/date-format.ts';
import { readPacks } from '../../shared/schema.ts';
import { defineRoute, HttpError } from './route.ts';
import { ManagedViewSchema } from './schemas.ts';

export const managed = defineRoute({
  method: 'GET',
  url: '/api/managed',
  summary: "A managed account's installations and what it may install",
  tag: 'Managed accounts',
  auth: { roles: ['managed', 'admin'] },
  query: v.object({ managedAccountId: v.optional(v.string()) }),
  responses: { 200: { description: 'The managed view', schema: ManagedViewSchema } },
  handler: async (request) => {
    const session = request.session;
    const managedAccountId = session.role === 'managed' ? session.managedAccountId : request.query.managedAccountId;
    if (!managedAccountId)
      throw new HttpError(
        400,
        'MANAGED_ACCOUNT_REQUIRED',
        session.role === 'managed' ? 'This token is not tied to a managed account.' : 'Name the managed account: ?managedAccountId=…',
      );
    const view = await request.deps.rooms.read(session.accountId, (doc, records) => {
      if (!records.managedAccounts.has(managedAccountId)) return undefined;
      const mine = [...records.instances()].filter((instance) => instance.managedAccountId === managedAccountId);
      return deriveManagedView(
        managedAccountId,
        readPacks(doc),
        records.allReleases,
        mine,
        [...records.managedAccounts.values()],
        dateStyleOf(records.account),
      );
    });
    if (!view) throw new HttpError(404, 'MANAGED_ACCOUNT_UNKNOWN', `${managedAccountId} is not a managed account of this publisher.`);
    return { status: 200, body: view };
  },
});
