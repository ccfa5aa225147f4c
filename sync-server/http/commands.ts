import { parseCommandEnvelope } from '../../shared/index.ts';
import { refusal } from '../sync/command-channel.ts';
import { HttpError, type Route } from './router.ts';

/**
 * POST /api/accounts/:id/commands { idempotencyKey, command } → CommandResult (200, also when the
 * command was refused by a rule: status 'ERROR'). A retry with the same key returns the first result.
 * 400 for a malformed envelope, 403 for a role that may not send this command.
 */
export const commands: Route = {
  method: 'POST',
  pattern: '/api/accounts/:id/commands',
  handler: async (request) => {
    const accountId = request.params.id!;
    const session = await request.session({ accountId });
    const parsed = parseCommandEnvelope(await request.json());
    if (!parsed.ok) throw new HttpError(400, 'INVALID_COMMAND', parsed.message);
    const refused = refusal(parsed.value, session);
    if (refused) throw new HttpError(403, 'FORBIDDEN', refused.message);
    return { status: 200, body: await request.deps.rooms.command(accountId, session, parsed.value) };
  },
};
