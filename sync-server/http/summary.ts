import { readPacks, summarizeAttention, type AccountSummary, type AttentionState } from '../../shared/index.ts';
import { dateStyleOf } from '../../shared/date-format.ts';
import type * as Y from 'yjs';
import type { AccountRecords } from '../records/account-records.ts';
import { defineRoute } from './route.ts';
import { AccountSummarySchema } from './schemas.ts';

/** The state the summary is derived from: the document's packs and the account's records. */
export function attentionStateOf(doc: Y.Doc, records: AccountRecords, accountId: string): AttentionState {
  return {
    accountId,
    accountName: records.account?.name ?? accountId,
    ...dateStyleOf(records.account),
    packs: readPacks(doc),
    catalog: records.catalog,
    releases: records.allReleases,
    instances: [...records.instances()],
    managedAccounts: [...records.managedAccounts.values()],
  };
}

/**
 * GET /api/accounts/:id/summary → AccountSummary (shared/attention.ts): packs that need attention,
 * pending releases with their dates, managed accounts with pending updates, the badge count. For the
 * browser extension; admins and viewers of the account (401 without a valid token, 403 otherwise).
 */
export const summary = defineRoute({
  method: 'GET',
  url: '/api/accounts/:id/summary',
  summary: 'What needs attention in the account (for the extension)',
  tag: 'Accounts',
  auth: { accountParam: 'id', roles: ['admin', 'viewer'] },
  responses: { 200: { description: 'The summary', schema: AccountSummarySchema } },
  handler: async (request) => {
    const accountId = request.params.id!;
    const now = request.deps.clock.now();
    const body: AccountSummary = await request.deps.rooms.read(accountId, (doc, records) =>
      summarizeAttention(attentionStateOf(doc, records, accountId), now),
    );
    return { status: 200, body };
  },
});
