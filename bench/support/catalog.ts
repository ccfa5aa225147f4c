/**
 * Large, deterministic, realistic-looking data for the benchmarks: a catalog of published components
 * named like integration processes ("Salesforce Account Sync 0412"), and packs that use them.
 */
import type { IntegrationPack, PublishedComponent } from '../../shared/index.ts';

const SYSTEMS = [
  'Salesforce',
  'NetSuite',
  'Shopify',
  'Workday',
  'SAP',
  'HubSpot',
  'Zendesk',
  'Stripe',
  'ServiceNow',
  'Jira',
  'Marketo',
  'QuickBooks',
  'Slack',
  'Snowflake',
  'Dynamics 365',
  'Oracle',
  'BambooHR',
  'Magento',
  'Coupa',
  'Concur',
  'ADP',
  'Box',
  'Twilio',
  'Mailchimp',
];
const OBJECTS = [
  'Account',
  'Order',
  'Invoice',
  'Contact',
  'Lead',
  'Employee',
  'Ticket',
  'Payment',
  'Inventory',
  'Journal',
  'Expense',
  'Shipment',
];
const VERBS = ['Sync', 'Export', 'Import', 'Bridge', 'Archive', 'Load', 'Reconciliation', 'Update', 'Notifier', 'Lookup API', 'Status API'];

/** A small seeded PRNG (mulberry32), so every run builds the same data. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function buildCatalog(count: number, seed = 1): PublishedComponent[] {
  const random = seededRandom(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  return Array.from({ length: count }, (_, i) => {
    const verb = pick(VERBS);
    return {
      id: `c${String(i).padStart(6, '0')}`,
      name: `${pick(SYSTEMS)} ${pick(OBJECTS)} ${verb} ${String(i).padStart(5, '0')}`,
      type: verb.endsWith('API') ? 'API_SERVICE' : 'PROCESS',
      versions: Array.from({ length: 1 + (i % 4) }, (_, v) => v + 1),
    } satisfies PublishedComponent;
  });
}

/** `count` valid SINGLE packs, each holding `perPack` process components of the catalog. */
export function buildPacks(count: number, perPack: number, catalog: readonly PublishedComponent[], seed = 2): IntegrationPack[] {
  const random = seededRandom(seed);
  const processes = catalog.filter((component) => component.type === 'PROCESS');
  const createdAt = new Date(Date.UTC(2025, 0, 1)).toISOString();
  return Array.from({ length: count }, (_, i) => {
    const ids = new Set<string>();
    for (let tries = 0; ids.size < perPack && tries < perPack * 10; tries++)
      ids.add(processes[Math.floor(random() * processes.length)]!.id);
    return {
      id: `pack-${String(i).padStart(5, '0')}`,
      name: `${SYSTEMS[i % SYSTEMS.length]} ${OBJECTS[(i >> 3) % OBJECTS.length]} Pack ${String(i).padStart(5, '0')}`,
      description: `Bench pack ${i}.`,
      installationType: 'SINGLE',
      componentIds: [...ids].sort(),
      createdAt,
      createdBy: 'Bench Admin',
    } satisfies IntegrationPack;
  });
}
