import { CommandEnvelopeSchema, CommandResultSchema } from '../../shared/index.ts';
import { refusal } from '../sync/command-channel.ts';
import { defineRoute, HttpError } from './route.ts';

/**
 * POST /api/accounts/:id/commands { idempotencyKey, command } → CommandResult (200, also when the
 * command was refused by a rule: status 'ERROR'). A retry with the same key returns the first result.
 * 400 for a malformed envelope, 403 for a role that may not send this command.
 */
export const commands = defineRoute({
  method: 'POST',
  url: '/api/accounts/:id/commands',
  summary: 'Run a command (release, delete, install, …)',
  description: 'The same commands as the WebSocket channel (PROTOCOL.md). A retry with the same idempotencyKey returns the first result.',
  tag: 'Accounts',
  auth: { accountParam: 'id' },
  body: CommandEnvelopeSchema,
  invalid: ({ field, message }) => new HttpError(400, 'INVALID_COMMAND', `Invalid command${field ? ` at ${field}` : ''}: ${message}`),
  responses: { 200: { description: 'The result, SUCCESS or ERROR (refused by a rule)', schema: CommandResultSchema } },
  handler: async (request) => {
    const refused = refusal(request.body, request.session);
    if (refused) throw new HttpError(403, 'FORBIDDEN', refused.message);
    return { status: 200, body: await request.deps.rooms.command(request.params.id!, request.session, request.body) };
  },
});
