/**
 * SET_ACCOUNT_SETTINGS: the publisher account's time zone and date locale. A new time zone moves
 * when pending releases are applied (the start of their date there): the account's schedule rows
 * move with it in the same transaction (records/account-records.ts putAccount).
 */
import { validateAccountSettings } from '../../shared/account-settings.ts';
import type { Command } from '../../shared/commands.ts';
import { dateStyleOf } from '../../shared/date-format.ts';
import { refused, succeeded, type CommandHandler } from './outcome.ts';

type SetAccountSettingsCommand = Extract<Command, { type: 'SET_ACCOUNT_SETTINGS' }>;

export const setAccountSettings: CommandHandler<SetAccountSettingsCommand> = (context, command) => {
  const { records } = context;
  const asked = [
    command.timeZone !== undefined ? `time zone ${command.timeZone}` : undefined,
    command.locale !== undefined ? `locale ${command.locale}` : undefined,
  ].filter(Boolean);
  const summary = `Account settings: ${asked.join(', ') || 'nothing'}`;
  const checked = validateAccountSettings(command);
  if (!checked.ok) return refused(summary, checked.error);
  const account = records.account;
  if (!account) return refused(summary, { code: 'ACCOUNT_NOT_FOUND', message: 'This account has no settings to change.' });
  const before = dateStyleOf(account);
  const next = { ...account, ...checked.value };
  records.putAccount(next);
  const after = dateStyleOf(next);
  const changes = [
    before.timeZone !== after.timeZone
      ? `the time zone is ${after.timeZone} (was ${before.timeZone}); pending releases are applied at the start of their date there`
      : undefined,
    before.locale !== after.locale ? `dates are written as in ${after.locale} (was ${before.locale})` : undefined,
  ].filter(Boolean);
  return succeeded(summary, changes.length === 0 ? 'The account settings were already so.' : `Saved: ${changes.join('; ')}.`);
};
