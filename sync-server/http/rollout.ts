/**
 * GET /api/accounts/:id/rollout?packId=&managedAccountId=&cursor=&limit= → RolloutPage: one row per
 * installation (the release it runs, a pending update and its date, a failure and why), from the
 * account's tables a page at a time, in (managed account id, instance id) order; with `packId`, also
 * the pack's summary (the counts the document carries). Admins and viewers of the account.
 */
import { rolloutRow, summarizeRollout, type RolloutPage } from '../../shared/rollout.ts';
import { decodeCursor, encodeCursor, PAGE_DEFAULT, PagedQuerySchema } from './paging.ts';
import { defineRoute } from './route.ts';
import { RolloutPageSchema } from './schemas.ts';

type Position = [managedAccountId: string, instanceId: string];
const isPosition = (value: unknown): value is Position =>
  Array.isArray(value) && value.length === 2 && value.every((part) => typeof part === 'string');

export const rollout = defineRoute({
  method: 'GET',
  url: '/api/accounts/:id/rollout',
  summary: 'Every installation and the release it runs, paged',
  description: 'Filter by packId and managedAccountId; follow nextCursor for the next page. With packId, the pack summary comes too.',
  tag: 'Accounts',
  auth: { accountParam: 'id', roles: ['admin', 'viewer'] },
  query: PagedQuerySchema,
  responses: { 200: { description: 'One page of installations', schema: RolloutPageSchema } },
  handler: async (request) => {
    const accountId = request.params.id!;
    const { packId, managedAccountId } = request.query;
    const limit = request.query.limit ?? PAGE_DEFAULT;
    const after = decodeCursor(request.query.cursor, isPosition);
    const found = await request.deps.store.records.instances(accountId, {
      limit: limit + 1,
      ...(packId === undefined ? {} : { packId }),
      ...(managedAccountId === undefined ? {} : { managedAccountId }),
      ...(after === undefined ? {} : { after: { managedAccountId: after[0], id: after[1] } }),
    });
    const instances = found.slice(0, limit);
    const body: RolloutPage = await request.deps.rooms.read(accountId, (_doc, records) => {
      const accountNames = new Map([...records.managedAccounts].map(([id, account]) => [id, account.name]));
      const rows = instances.map((instance) => rolloutRow(instance, { releases: records.releases(instance.packId), accountNames }));
      const last = instances.at(-1);
      return {
        rows,
        ...(found.length > limit && last ? { nextCursor: encodeCursor([last.managedAccountId, last.id] satisfies Position) } : {}),
        ...(packId === undefined ? {} : { summary: summarizeRollout(packId, records.instancesOfPack(packId)) }),
      };
    });
    return { status: 200, body };
  },
});
