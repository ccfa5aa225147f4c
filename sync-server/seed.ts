/**
 * The demo: two publisher accounts, `demo` (multi-install on) and `acme` (off), each with 30
 * published components of both types and several versions, a few packs (released, re-released,
 * with Pending, Available and Deleted rows), three managed accounts with installations, and tokens.
 * Pure data building plus one write per account (the packs' document update and the records, in one
 * append), so tests and benchmarks can call it too.
 */
import * as Y from 'yjs';
import {
  writeNewPack,
  type InstallationType,
  type IntegrationPack,
  type ManagedAccount,
  type PackInstance,
  type PublishedComponent,
  type PublisherAccount,
  type Release,
} from '../shared/index.ts';
import { mintToken } from './auth.ts';
import { AccountRecords } from './records/account-records.ts';
import type { RecordChange } from './records/changes.ts';
import { rebuildProjection } from './records/projection.ts';
import type { Person, Store } from './storage/types.ts';

/** DATA_DIR/demo-tokens.json */
export type DemoTokens = Record<string, { admin: string[]; viewer: string[]; managed: Record<string, string[]> }>;

const PROCESSES = [
  'Salesforce Account Sync',
  'NetSuite Order Export',
  'Shopify Order Import',
  'Workday Employee Sync',
  'SAP Invoice Export',
  'HubSpot Contact Sync',
  'Zendesk Ticket Archive',
  'Stripe Payment Reconciliation',
  'ServiceNow Incident Bridge',
  'Jira Issue Sync',
  'Marketo Lead Import',
  'QuickBooks Journal Export',
  'Slack Alert Notifier',
  'Snowflake Daily Load',
  'Dynamics 365 Customer Sync',
  'Oracle GL Export',
  'BambooHR Onboarding',
  'Magento Inventory Update',
  'Coupa Purchase Order Sync',
  'Concur Expense Export',
  'ADP Payroll Export',
  'Box Document Archive',
  'Twilio SMS Dispatcher',
  'Mailchimp Audience Sync',
];
const API_SERVICES = [
  'Customer Lookup API',
  'Order Status API',
  'Inventory Availability API',
  'Pricing Quote API',
  'Employee Directory API',
  'Invoice Retrieval API',
];

interface PackSpec {
  name: string;
  description: string;
  type: InstallationType;
  /** Component names in the pack now. */
  components: string[];
  /** Each release: the component names it held (at their version then, see `olderIn`). */
  releases: string[][];
  /** Components whose latest version was published after the last release (shown as Available). */
  newerSinceRelease?: string[];
  /** Managed-account index → instance names (one unnamed instance for SINGLE packs). */
  installs?: Record<number, string[]>;
}

interface AccountSpec {
  account: PublisherAccount;
  managed: ManagedAccount[];
  people: { key: string; name: string; role: 'admin' | 'viewer' }[];
  packs: PackSpec[];
}

export const demoAccounts: AccountSpec[] = [
  {
    account: { id: 'demo', name: 'Demo Publisher', multiInstallEnabled: true, timeZone: 'UTC' },
    managed: [
      { id: 'demo-m1', name: 'Northwind Traders' },
      { id: 'demo-m2', name: 'Contoso Retail' },
      { id: 'demo-m3', name: 'Fabrikam Health' },
    ],
    people: [
      { key: 'admin-1', name: 'Avery Admin', role: 'admin' },
      { key: 'admin-2', name: 'Blake Admin', role: 'admin' },
      { key: 'viewer-1', name: 'Val Viewer', role: 'viewer' },
    ],
    packs: [
      {
        name: 'Salesforce to NetSuite',
        description: 'Keeps accounts and orders in step between Salesforce and NetSuite.',
        type: 'SINGLE',
        components: ['Customer Lookup API', 'NetSuite Order Export', 'Salesforce Account Sync'],
        releases: [
          ['NetSuite Order Export', 'Salesforce Account Sync'],
          ['Customer Lookup API', 'NetSuite Order Export', 'Salesforce Account Sync'],
        ],
        newerSinceRelease: ['NetSuite Order Export'],
        installs: { 0: [''], 1: [''] },
      },
      {
        name: 'Order Fulfillment',
        description: 'Imports web orders, updates inventory and alerts the warehouse.',
        type: 'MULTI',
        components: ['Magento Inventory Update', 'Shopify Order Import', 'Slack Alert Notifier', 'Twilio SMS Dispatcher'],
        releases: [['Magento Inventory Update', 'Shopify Order Import', 'Slack Alert Notifier']],
        installs: { 0: ['East Region', 'West Region'], 2: ['Main Warehouse'] },
      },
      {
        name: 'HR Onboarding Suite',
        description: 'New hires from Workday to BambooHR and payroll.',
        type: 'SINGLE',
        components: ['ADP Payroll Export', 'BambooHR Onboarding', 'Employee Directory API', 'Workday Employee Sync'],
        releases: [],
      },
      {
        name: 'Finance Close Toolkit',
        description: 'Month-end journal, ledger and payment reconciliation.',
        type: 'MULTI',
        components: ['Oracle GL Export', 'QuickBooks Journal Export', 'Stripe Payment Reconciliation'],
        releases: [['Concur Expense Export', 'Oracle GL Export', 'QuickBooks Journal Export', 'Stripe Payment Reconciliation']],
        installs: { 1: ['Contoso US'] },
      },
    ],
  },
  {
    account: { id: 'acme', name: 'Acme Integrations', multiInstallEnabled: false, timeZone: 'Europe/Berlin' },
    managed: [
      { id: 'acme-m1', name: 'Globex Corporation' },
      { id: 'acme-m2', name: 'Initech' },
      { id: 'acme-m3', name: 'Umbrella Logistics' },
    ],
    people: [
      { key: 'admin-1', name: 'Casey Admin', role: 'admin' },
      { key: 'admin-2', name: 'Drew Admin', role: 'admin' },
      { key: 'viewer-1', name: 'Wren Viewer', role: 'viewer' },
    ],
    packs: [
      {
        name: 'Support Desk Connector',
        description: 'Tickets and incidents across Zendesk, ServiceNow and Jira.',
        type: 'SINGLE',
        components: ['Jira Issue Sync', 'Order Status API', 'ServiceNow Incident Bridge', 'Zendesk Ticket Archive'],
        releases: [['Jira Issue Sync', 'Order Status API', 'ServiceNow Incident Bridge', 'Zendesk Ticket Archive']],
        newerSinceRelease: ['Jira Issue Sync'],
        installs: { 0: [''], 1: [''], 2: [''] },
      },
      {
        name: 'Marketing Data Hub',
        description: 'Contacts and leads between HubSpot, Marketo and Mailchimp.',
        type: 'SINGLE',
        components: ['HubSpot Contact Sync', 'Mailchimp Audience Sync', 'Marketo Lead Import'],
        releases: [
          ['HubSpot Contact Sync', 'Marketo Lead Import'],
          ['HubSpot Contact Sync', 'Mailchimp Audience Sync', 'Marketo Lead Import'],
        ],
        installs: { 0: [''] },
      },
      {
        name: 'Data Warehouse Loader',
        description: 'Nightly loads into Snowflake.',
        type: 'SINGLE',
        components: ['Snowflake Daily Load'],
        releases: [],
      },
    ],
  },
];

const DAY = 24 * 60 * 60 * 1000;
const pad = (n: number) => String(n).padStart(2, '0');

function catalogFor(accountId: string, salt: number): PublishedComponent[] {
  const names = [
    ...PROCESSES.map((name) => ({ name, type: 'PROCESS' as const })),
    ...API_SERVICES.map((name) => ({ name, type: 'API_SERVICE' as const })),
  ];
  return names.map(({ name, type }, i) => ({
    id: `${accountId}-c${pad(i + 1)}`,
    name,
    type,
    versions: Array.from({ length: 2 + ((i * 7 + salt) % 4) }, (_, v) => v + 1),
  }));
}

const emptyRecords = () =>
  new AccountRecords({
    account: undefined,
    catalog: [],
    managedAccounts: [],
    releases: [],
    instances: [],
    tombstones: [],
    recentHistory: [],
    lastAuditSeq: 0,
  });

/** An account as the demo has it: its packs (a document) and its records (as changes to store). */
export function buildDemo(spec: AccountSpec, now: Date): { doc: Y.Doc; records: RecordChange[] } {
  const records = emptyRecords();
  const doc = buildDemoInto(spec, now, records);
  return { doc, records: records.takeChanges() };
}

/** The account's whole document as a client would sync it: its packs and the projection of its records. */
export function buildDemoDoc(spec: AccountSpec, now: Date): Y.Doc {
  const records = emptyRecords();
  const doc = buildDemoInto(spec, now, records);
  rebuildProjection(doc, records, undefined);
  return doc;
}

function buildDemoInto(spec: AccountSpec, now: Date, records: AccountRecords): Y.Doc {
  const doc = new Y.Doc();
  const accountId = spec.account.id;
  const catalog = catalogFor(accountId, accountId.length);
  const byName = new Map(catalog.map((c) => [c.name, c]));
  const idOf = (name: string) => byName.get(name)?.id ?? `${accountId}-unknown`;
  const admin = spec.people.find((p) => p.role === 'admin')?.name ?? 'admin';
  records.putAccount(spec.account);
  for (const component of catalog) records.putComponent(component);
  for (const managed of spec.managed) records.putManagedAccount(managed);
  doc.transact(() => {
    let instanceCount = 0;
    spec.packs.forEach((packSpec, p) => {
      const packId = `${accountId}-p${pad(p + 1)}`;
      const createdAt = new Date(now.getTime() - (90 - p) * DAY).toISOString();
      const pack: IntegrationPack = {
        id: packId,
        name: packSpec.name,
        description: packSpec.description,
        installationType: packSpec.type,
        componentIds: packSpec.components.map(idOf).sort(),
        createdAt,
        createdBy: admin,
      };
      writeNewPack(doc, pack);
      const releases: Release[] = packSpec.releases.map((names, r) => {
        const last = r === packSpec.releases.length - 1;
        return {
          packId,
          number: r + 1,
          components: names.map((name) => {
            const component = byName.get(name)!;
            const latest = Math.max(...component.versions);
            const older = last && packSpec.newerSinceRelease?.includes(name);
            return { componentId: component.id, version: older ? latest - 1 : latest - (packSpec.releases.length - 1 - r > 0 ? 1 : 0) };
          }),
          releaseSchedule: 'IMMEDIATELY',
          status: 'SUCCESS',
          releasedBy: admin,
          releasedAt: new Date(now.getTime() - (60 - 20 * r - p) * DAY).toISOString(),
          requestId: `seed-${packId}-${r + 1}`,
        };
      });
      if (releases.length > 0) records.putReleases(packId, releases);
      for (const [index, names] of Object.entries(packSpec.installs ?? {})) {
        const managed = spec.managed[Number(index)];
        if (!managed || releases.length === 0) continue;
        for (const overrideName of names) {
          instanceCount++;
          const instance: PackInstance = {
            id: `${accountId}-i${pad(instanceCount)}`,
            packId,
            managedAccountId: managed.id,
            ...(packSpec.type === 'MULTI' ? { overrideName } : {}),
            releaseNumber: releases.length,
            atomIds: [`${managed.id}-atom-1`],
            environmentIds: [`${managed.id}-env-production`],
            installedAt: new Date(now.getTime() - (30 - instanceCount) * DAY).toISOString(),
          };
          records.putInstance(instance);
        }
      }
    });
  });
  return doc;
}

/** True when the store holds no account yet (first start). */
export async function storeIsEmpty(store: Store): Promise<boolean> {
  return (await store.accounts.listAccounts()).length === 0;
}

/** Writes the demo accounts, documents, people and fresh tokens; returns the tokens (shown once). */
export async function seedDemo(store: Store, options: { now: Date; specs?: AccountSpec[] }): Promise<DemoTokens> {
  const tokens: DemoTokens = {};
  for (const spec of options.specs ?? demoAccounts) {
    const accountId = spec.account.id;
    await store.accounts.putAccount(spec.account);
    const { doc, records } = buildDemo(spec, options.now);
    await store.docs.append(accountId, [Y.encodeStateAsUpdate(doc)], { records });
    doc.destroy();
    const entry = (tokens[accountId] = { admin: [] as string[], viewer: [] as string[], managed: {} as Record<string, string[]> });
    for (const person of spec.people) {
      const record: Person = { id: `${accountId}-${person.key}`, accountId, name: person.name, role: person.role };
      entry[person.role].push(await mintToken(store.accounts, record));
    }
    for (const managed of spec.managed) {
      const record: Person = {
        id: `${managed.id}-user-1`,
        accountId,
        name: `${managed.name} User`,
        role: 'managed',
        managedAccountId: managed.id,
      };
      entry.managed[managed.id] = [await mintToken(store.accounts, record)];
    }
  }
  return tokens;
}
