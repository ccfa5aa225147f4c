/**
 * SET_ACCOUNT_SETTINGS: the publisher account's time zone and date locale. A new time zone moves
 * when pending releases are applied (the start of their date there); the scheduler reads the zone on
 * every pass (at most a minute apart), so it follows without a restart.
 */
import { validateAccountSettings } from '../../shared/account-settings.ts';
import type { Command } from '../../shared/commands.ts';
import { dateStyleOf } from '../../shared/date-format.ts';
import { readAccount, writeAccount } from '../../shared/schema.ts';
import { refused, succeeded, type CommandHandler } from './outcome.ts';

type SetAccountSettingsCommand = Extract<Command, { type: 'SET_ACCOUNT_SETTINGS' }>;

export const setAccountSettings: CommandHandler<SetAccountSettingsCommand> = (context, command) => {
  const { doc } = context;
  const asked = [
    command.timeZone !== undefined ? `time zone ${command.timeZone}` : undefined,
    command.locale !== undefined ? `locale ${command.locale}` : undefined,
  ].filter(Boolean);
  const summary = `Account settings: ${asked.join(', ') || 'nothing'}`;
  const checked = validateAccountSettings(command);
  if (!checked.ok) return refused(summary, checked.error);
  const account = readAccount(doc);
  if (!account) return refused(summary, { code: 'ACCOUNT_NOT_FOUND', message: 'This account has no settings to change.' });
  const before = dateStyleOf(account);
  const next = { ...account, ...checked.value };
  writeAccount(doc, next, context.origin);
  const after = dateStyleOf(next);
  const changes = [
    before.timeZone !== after.timeZone
      ? `the time zone is ${after.timeZone} (was ${before.timeZone}); pending releases are applied at the start of their date there`
      : undefined,
    before.locale !== after.locale ? `dates are written as in ${after.locale} (was ${before.locale})` : undefined,
  ].filter(Boolean);
  return succeeded(summary, changes.length === 0 ? 'The account settings were already so.' : `Saved: ${changes.join('; ')}.`);
};
