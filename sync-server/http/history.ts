/**
 * GET /api/accounts/:id/history?packId=&managedAccountId=&kind=&cursor=&limit= → HistoryPage: the whole
 * audit trail from the account's tables, newest first, a page at a time (the document carries only each
 * pack's newest records). Admins and viewers see everything; a managed-account user sees only the
 * records about their own managed account.
 */
import * as v from 'valibot';
import type { HistoryPage } from '../../shared/history.ts';
import { decodeCursor, encodeCursor, PAGE_DEFAULT, PagedQuerySchema } from './paging.ts';
import { defineRoute } from './route.ts';
import { HistoryPageSchema } from './schemas.ts';

const HistoryQuerySchema = v.object({
  ...PagedQuerySchema.entries,
  kind: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^[A-Z][A-Z_]{0,63}$/, 'kind must be a record kind such as EDIT_PACK'),
      v.description('Only records of this kind, e.g. EDIT_PACK (a Name or Description edit: field, oldValue, newValue) or RELEASE.'),
    ),
  ),
});

const isSeq = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;

export const history = defineRoute({
  method: 'GET',
  url: '/api/accounts/:id/history',
  summary: 'The history of commands, newest first, paged',
  description:
    "Every command and its result, refused ones included (recorded at a bounded rate per person), and every edit of a pack's Name or Description (kind EDIT_PACK). Filter by packId, managedAccountId and kind; follow nextCursor for older pages.",
  tag: 'Accounts',
  auth: { accountParam: 'id', roles: ['admin', 'viewer', 'managed'] },
  query: HistoryQuerySchema,
  responses: { 200: { description: 'One page of history', schema: HistoryPageSchema } },
  handler: async (request) => {
    const accountId = request.params.id!;
    const limit = request.query.limit ?? PAGE_DEFAULT;
    const before = decodeCursor(request.query.cursor, isSeq);
    const managedAccountId = request.session.role === 'managed' ? request.session.managedAccountId : request.query.managedAccountId;
    const found = await request.deps.store.records.history(accountId, {
      limit: limit + 1,
      ...(request.query.packId === undefined ? {} : { packId: request.query.packId }),
      ...(managedAccountId === undefined ? {} : { managedAccountId }),
      ...(request.query.kind === undefined ? {} : { kind: request.query.kind }),
      ...(before === undefined ? {} : { before }),
    });
    const records = found.slice(0, limit);
    const body: HistoryPage = { records, ...(found.length > limit ? { nextCursor: encodeCursor(records.at(-1)!.seq) } : {}) };
    return { status: 200, body };
  },
});
