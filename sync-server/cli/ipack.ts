/**
 * `npm run ipack -- <verb> …`: the REST API for build pipelines. IPACK_URL (default
 * http://localhost:8080) and IPACK_TOKEN (an API token) say where and who; the account is the
 * token's unless --account names a managed one. --json prints the API's JSON; exit codes in
 * ipack-api.ts (Exit) and in USAGE.
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ApiFailure, callApi, Exit, queryAll, waitForRelease, type ApiOptions, type ReleaseStatus } from './ipack-api.ts';

const USAGE = `Usage: npm run ipack -- <verb> [options]

  query [--name PATTERN] [--type SINGLE|MULTI] [--ids]   integration packs (PATTERN: % and _ wildcards)
  get <packId>                                            one pack and its components
  components <packId> [--name PATTERN] [--ids]           a pack's packaged components
  publish <componentId>                                   publish the next version of a component
  release <packId> [--date yyyy-MM-dd] [--component ID=VERSION]… [--notes TEXT] [--wait]
  status <requestId> [--wait]                             a release's status (202 while IN_PROGRESS)
  reschedule <packId> [--date yyyy-MM-dd] [--component ID=VERSION]… [--notes TEXT]   change a scheduled release
  cancel <packId>                                         cancel a scheduled release

Options: --url URL (IPACK_URL), --token TOKEN (IPACK_TOKEN), --account ID, --key IDEMPOTENCY_KEY,
         --json, --wait, --timeout SECONDS (600), --interval MS (2000)
Exit codes: 0 done; 1 release ERROR or CANCELED; 2 usage; 3 refused (401/403); 4 not found;
            5 rejected (400/409/412/422); 6 server unavailable; 7 still IN_PROGRESS at --timeout`;

const OPTIONS = {
  url: { type: 'string' },
  token: { type: 'string' },
  account: { type: 'string' },
  key: { type: 'string' },
  json: { type: 'boolean', default: false },
  ids: { type: 'boolean', default: false },
  wait: { type: 'boolean', default: false },
  name: { type: 'string' },
  type: { type: 'string' },
  date: { type: 'string' },
  component: { type: 'string', multiple: true },
  notes: { type: 'string' },
  timeout: { type: 'string', default: '600' },
  interval: { type: 'string', default: '2000' },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

type OptionName = keyof typeof OPTIONS;
const isOption = (name: string): name is OptionName => Object.hasOwn(OPTIONS, name);

/**
 * Ids may begin with '-' (the pack-id rule allows it, and 1 in 64 generated ids does): parseArgs
 * alone takes "-9ab…" for an unknown short option. So a string option takes the next word as its
 * value whatever it begins with, and a word with one leading '-' that is not -h is a positional;
 * a word with '--' that is no option of ours is still refused as one.
 */
function separated(argv: readonly string[]): string[] {
  const options: string[] = [];
  const positionals: string[] = [];
  for (let at = 0; at < argv.length; at++) {
    const word = argv[at]!;
    if (word === '--') {
      positionals.push(...argv.slice(at + 1));
      break;
    }
    const long = /^--([^=]+)$/.exec(word);
    if (long && isOption(long[1]!) && OPTIONS[long[1]!].type === 'string' && at + 1 < argv.length) {
      options.push(`${word}=${argv[++at]}`);
    } else if (word.startsWith('--') || word === '-h') options.push(word);
    else positionals.push(word);
  }
  return [...options, '--', ...positionals];
}

const parse = (argv: readonly string[]) => parseArgs({ args: separated(argv), allowPositionals: true, options: OPTIONS });

class UsageError extends Error {}

interface Pack {
  id: string;
  name: string;
  installationType: string;
  PublisherPackagedComponents: { PublisherPackagedComponent: PackagedComponent[] };
}
interface PackagedComponent {
  componentId: string;
  componentName: string;
  componentType?: string;
  currentVersion?: number;
  pendingVersion?: number;
  latestVersion?: number;
  deleted: boolean;
}

const likeMatcher = (pattern: string) =>
  new RegExp(
    `^${[...pattern].map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')}$`,
    'iu',
  );

function componentsOption(values: string[] | undefined) {
  if (!values?.length) return undefined;
  return {
    ReleasePackagedComponent: values.map((value) => {
      const match = /^(.+)=(\d+)$/.exec(value);
      if (!match) throw new UsageError(`--component takes COMPONENT_ID=VERSION, not "${value}".`);
      return { componentId: match[1]!, version: Number(match[2]) };
    }),
  };
}

function statusLine(status: ReleaseStatus): string {
  const number = status.releaseNumber === undefined ? '' : ` (release ${status.releaseNumber})`;
  const date = status.releaseStatus === 'SCHEDULED' && status.releaseOnDate ? ` until ${status.releaseOnDate}` : '';
  const versions = status.ReleasePackagedComponents.ReleasePackagedComponent.map(
    (entry) => `  ${entry.componentId} version ${entry.releasedVersion ?? entry.version}`,
  );
  return [
    `${status.requestId}${status.name ? ` of ${status.name}` : ''}: ${status.releaseStatus}${date}${number}`,
    ...(status.message ? [`  ${status.message}`] : []),
    ...versions,
  ].join('\n');
}

const releaseExit = (status: ReleaseStatus) =>
  status.releaseStatus === 'ERROR' || status.releaseStatus === 'CANCELED' ? Exit.releaseFailed : Exit.ok;

export async function main(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  out: (text: string) => void,
  err: (text: string) => void,
): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    err(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    return Exit.usage;
  }
  const { values, positionals } = parsed;
  const [verb, target, ...extra] = positionals;
  if (extra.length > 0) {
    err(`Unexpected argument${extra.length > 1 ? 's' : ''}: ${extra.join(' ')}\n\n${USAGE}`);
    return Exit.usage;
  }
  if (values.help || !verb) {
    (values.help ? out : err)(USAGE);
    return values.help ? Exit.ok : Exit.usage;
  }
  const token = values.token ?? env.IPACK_TOKEN;
  if (!token) {
    err('No token: set IPACK_TOKEN or pass --token (an API token, e.g. from npm run token).');
    return Exit.usage;
  }
  const api: ApiOptions = {
    url: values.url ?? env.IPACK_URL ?? 'http://localhost:8080',
    token,
    ...(values.key ? { idempotencyKey: values.key } : {}),
  };
  const print = (json: unknown, text: () => string) => out(values.json ? JSON.stringify(json, null, 2) : text());
  const need = (what: string) => {
    if (!target) throw new UsageError(`${verb} needs ${what}.`);
    return target;
  };

  try {
    const account = values.account ?? (await callApi<{ accountId: string }>(api, 'GET', '/api/me')).body.accountId;
    const v1 = `/api/rest/v1/${encodeURIComponent(account)}`;
    const wait = { intervalMs: Number(values.interval), timeoutMs: Number(values.timeout) * 1000 };
    if (!(wait.intervalMs > 0) || !(wait.timeoutMs >= 0)) throw new UsageError('--interval and --timeout take positive numbers.');
    const getPack = async (id: string) =>
      (await callApi<Pack>(api, 'GET', `${v1}/PublisherIntegrationPack/${encodeURIComponent(id)}`)).body;
    const finish = async (status: ReleaseStatus, location: string) => {
      const final = values.wait && status.releaseStatus === 'IN_PROGRESS' ? await waitForRelease(api, location, wait) : status;
      print(final, () => statusLine(final));
      return releaseExit(final);
    };

    switch (verb) {
      case 'query': {
        const tests = [
          ...(values.name ? [{ operator: 'LIKE', property: 'name', argument: [values.name] }] : []),
          ...(values.type ? [{ operator: 'EQUALS', property: 'installationType', argument: [values.type] }] : []),
        ];
        const expression = tests.length > 1 ? { operator: 'and', nestedExpression: tests } : tests[0];
        const packs = await queryAll<Pack>(api, `${v1}/PublisherIntegrationPack`, expression ? { QueryFilter: { expression } } : {});
        print(packs, () => packs.map((pack) => (values.ids ? pack.id : `${pack.id}\t${pack.installationType}\t${pack.name}`)).join('\n'));
        return packs.length === 0 && values.name ? Exit.notFound : Exit.ok;
      }
      case 'get': {
        const pack = await getPack(need('a pack id'));
        print(pack, () => `${pack.id}\t${pack.installationType}\t${pack.name}`);
        return Exit.ok;
      }
      case 'components': {
        const all = (await getPack(need('a pack id'))).PublisherPackagedComponents.PublisherPackagedComponent;
        const matching = values.name ? all.filter((entry) => likeMatcher(values.name!).test(entry.componentName)) : all;
        const versions = (entry: PackagedComponent) =>
          `current ${entry.currentVersion ?? '-'}, pending ${entry.deleted ? 'Deleted' : (entry.pendingVersion ?? '-')}, latest ${entry.latestVersion ?? '-'}`;
        print(matching, () =>
          matching
            .map((entry) => (values.ids ? entry.componentId : `${entry.componentId}\t${entry.componentName}\t${versions(entry)}`))
            .join('\n'),
        );
        return matching.length === 0 && values.name ? Exit.notFound : Exit.ok;
      }
      case 'publish': {
        const id = need('a component id');
        const component = (
          await callApi<{ id: string; name: string; versions: number[] }>(
            api,
            'POST',
            `/api/accounts/${encodeURIComponent(account)}/components/${encodeURIComponent(id)}/versions`,
          )
        ).body;
        print(component, () => `${component.name} version ${component.versions.at(-1)} published (${component.id})`);
        return Exit.ok;
      }
      case 'release': {
        const components = componentsOption(values.component);
        const body = {
          id: need('a pack id'),
          releaseSchedule: values.date ? 'RELEASE_ON_SPECIFIED_DATE' : 'IMMEDIATELY',
          ...(values.date ? { releaseOnDate: values.date } : {}),
          ...(components ? { ReleasePackagedComponents: components } : {}),
          ...(values.notes === undefined ? {} : { releaseNotes: values.notes }),
        };
        const released = await callApi<{ requestId: string }>(api, 'POST', `${v1}/ReleaseIntegrationPack`, body);
        const location =
          released.headers.get('location') ?? `${v1}/ReleaseIntegrationPackStatus/${encodeURIComponent(released.body.requestId)}`;
        const status = await callApi<ReleaseStatus>(api, 'GET', location);
        return await finish(status.body, location);
      }
      case 'status': {
        const location = `${v1}/ReleaseIntegrationPackStatus/${encodeURIComponent(need('a requestId'))}`;
        return await finish((await callApi<ReleaseStatus>(api, 'GET', location)).body, location);
      }
      case 'reschedule': {
        const components = componentsOption(values.component);
        if (!values.date && !components && values.notes === undefined)
          throw new UsageError('reschedule needs --date, --component or --notes.');
        const body = {
          ...(values.date ? { releaseOnDate: values.date } : {}),
          ...(components ? { ReleasePackagedComponents: components } : {}),
          ...(values.notes === undefined ? {} : { releaseNotes: values.notes }),
        };
        const changed = await callApi<{ requestId: string }>(
          api,
          'POST',
          `${v1}/ReleaseIntegrationPack/${encodeURIComponent(need('a pack id'))}`,
          body,
        );
        const status = await callApi<ReleaseStatus>(
          api,
          'GET',
          `${v1}/ReleaseIntegrationPackStatus/${encodeURIComponent(changed.body.requestId)}`,
        );
        print(status.body, () => statusLine(status.body));
        return Exit.ok;
      }
      case 'cancel': {
        const status = (
          await callApi<ReleaseStatus>(api, 'DELETE', `${v1}/ReleaseIntegrationPack/${encodeURIComponent(need('a pack id'))}`)
        ).body;
        print(status, () => statusLine(status));
        return Exit.ok;
      }
      default:
        throw new UsageError(`Unknown verb "${verb}".`);
    }
  } catch (error) {
    if (error instanceof UsageError) {
      err(`${error.message}\n\n${USAGE}`);
      return Exit.usage;
    }
    if (error instanceof ApiFailure) {
      if (values.json && error.body !== undefined) out(JSON.stringify(error.body, null, 2));
      err(error.message);
      return error.exitCode;
    }
    err(`ipack failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return Exit.unavailable;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href)
  void main(
    process.argv.slice(2),
    process.env,
    (text) => {
      if (text !== '') process.stdout.write(`${text}\n`);
    },
    (text) => process.stderr.write(`${text}\n`),
  ).then((code) => {
    process.exitCode = code;
  });
