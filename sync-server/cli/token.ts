/**
 * `npm run token -- --account ID --role admin|viewer|managed [--name "Ann"] [--managed M] [--create]`
 * mints a token into DATA_DIR's database and prints it once (only its hash is stored).
 * --create also creates a missing publisher account (--multi-install to enable the feature).
 */
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { mintToken } from '../auth.ts';
import { describeStore, openStore, storeChoiceFromEnv } from '../storage/open-store.ts';
import { ROLES, type Role } from '../../shared/identity.ts';

const USAGE =
  'Usage: npm run token -- --account ID --role admin|viewer|managed [--name "Ann"] [--managed MANAGED_ACCOUNT_ID] [--create [--multi-install]]';

async function main(argv: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      account: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      managed: { type: 'string' },
      create: { type: 'boolean', default: false },
      'multi-install': { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
    },
  });
  const role = values.role as Role | undefined;
  if (!values.account || !role || !ROLES.includes(role)) {
    console.error(USAGE);
    return 2;
  }
  if (role === 'managed' && !values.managed) {
    console.error('A managed-role token needs --managed MANAGED_ACCOUNT_ID.');
    return 2;
  }
  const dataDir = resolve(values['data-dir'] ?? (env.DATA_DIR || './data'));
  const choice = storeChoiceFromEnv(env, dataDir);
  const store = await openStore(choice);
  try {
    const account = await store.accounts.getAccount(values.account);
    if (!account) {
      if (!values.create) {
        const known = (await store.accounts.listAccounts()).map((a) => a.id).join(', ') || 'none';
        console.error(`No account "${values.account}" in ${describeStore(choice)} (known: ${known}). Add --create to create it.`);
        return 1;
      }
      await store.accounts.putAccount({
        id: values.account,
        name: values.account,
        multiInstallEnabled: values['multi-install'] ?? false,
        timeZone: 'UTC',
      });
    }
    const name = values.name ?? `${role[0]!.toUpperCase()}${role.slice(1)} ${randomUUID().slice(0, 4)}`;
    const token = await mintToken(store.accounts, {
      id: `${values.account}-${randomUUID()}`,
      accountId: values.account,
      name,
      role,
      ...(role === 'managed' ? { managedAccountId: values.managed! } : {}),
    });
    console.log(token);
    return 0;
  } finally {
    await store.close();
  }
}

main(process.argv.slice(2), process.env).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(1);
  },
);
