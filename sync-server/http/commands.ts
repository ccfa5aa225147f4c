import { CommandEnvelopeSchema, CommandResultSchema, roleRefusal } from '../../shared/index.ts';
import { defineRoute, HttpError } from './route.ts';

/**
 * POST /api/accounts/:id/commands { idempotencyKey, command } → CommandResult (200, also when the
 * command was refused by a rule: status 'ERROR'). A retry with the same key and command returns the
 * first result. 400 for a malformed envelope, 403 for a role that may not send this command, 422
 * IDEMPOTENCY_KEY_REUSED for a key already used for another command (as the IETF Idempotency-Key
 * draft answers a key reused with another payload).
 */
export const commands = defineRoute({
  method: 'POST',
  url: '/api/accounts/:id/commands',
  summary: 'Run a command (release, delete, install, …)',
  description:
    'The same commands as the WebSocket channel (PROTOCOL.md), through the same command path. A retry with the same idempotencyKey and command returns the first result; the key with another command is refused with 422 IDEMPOTENCY_KEY_REUSED.',
  tag: 'Accounts',
  auth: { accountParam: 'id' },
  body: CommandEnvelopeSchema,
  invalid: ({ field, message }) => new HttpError(400, 'INVALID_COMMAND', `Invalid command${field ? ` at ${field}` : ''}: ${message}`),
  responses: {
    200: { description: 'The result, SUCCESS or ERROR (refused by a rule)', schema: CommandResultSchema },
    403: { description: 'The role may not send this command (FORBIDDEN)' },
    422: { description: 'The idempotency key was already used for another command (IDEMPOTENCY_KEY_REUSED)' },
  },
  handler: async (request) => {
    // The path checks the role (and audits the refusal); the same rule says which answer is a 403.
    const result = await request.deps.rooms.command(request.params.id!, request.session, request.body);
    if (roleRefusal(request.session.role, request.body.command.type)) throw new HttpError(403, 'FORBIDDEN', result.message);
    if (result.code === 'IDEMPOTENCY_KEY_REUSED') throw new HttpError(422, result.code, result.message);
    return { status: 200, body: result };
  },
});
