/**
 * CREATE_PACK: Add Integration Pack through the API. The pack is checked by the same reconcile rules
 * as a page's edit to the `packs` root (shared/reconcile.ts), all or nothing: any part a client's
 * edit would lose refuses the whole command. Written with the server's origin.
 */
import { createHash } from 'node:crypto';
import type { Command } from '../../shared/commands.ts';
import { reconcilePack, type Violation } from '../../shared/reconcile.ts';
import { writeNewPack, type RawPack } from '../../shared/schema.ts';
import { refused, succeeded, type CommandHandler } from './outcome.ts';

type CreatePackCommand = Extract<Command, { type: 'CREATE_PACK' }>;

/** The new pack's id, from the command's idempotency key (21 URL-safe characters, like the page's ids). */
export const packIdFor = (idempotencyKey: string): string =>
  createHash('sha256').update(`pack:${idempotencyKey}`).digest('base64url').slice(0, 21);

/** The violation that refuses an API edit: all but a trimmed name, which is kept trimmed. */
export const blockingViolation = (violations: readonly Violation[]): Violation | undefined =>
  violations.find((violation) => violation.code !== 'NAME_NOT_TRIMMED');

export const uniqueSorted = (ids: readonly string[]): string[] => [...new Set(ids)].sort();

export const createPack: CommandHandler<CreatePackCommand> = (context, command) => {
  const packId = packIdFor(context.idempotencyKey);
  const summary = `Add Integration Pack ${command.name.trim() || '(no name)'}`;
  const raw: RawPack = {
    name: command.name,
    description: command.description ?? '',
    installationType: command.installationType,
    componentIds: uniqueSorted(command.componentIds ?? []),
    componentsIsMap: true,
    createdAt: context.now.toISOString(),
    createdBy: context.actor.personName,
    unknownKeys: [],
  };
  const { accepted, violations } = reconcilePack(packId, undefined, raw, context.records.reconcileContext);
  const blocking = blockingViolation(violations);
  if (blocking || !accepted)
    return refused(summary, blocking ?? { code: 'PACK_MALFORMED', message: 'The new integration pack was malformed.' }, { packId });
  writeNewPack(context.doc, accepted, context.origin);
  return succeeded(`Add Integration Pack ${accepted.name}`, `${accepted.name} was added.`, { packId });
};
