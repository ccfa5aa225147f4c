/**
 * A real server on loopback for the REST tests: the `demo` account of `seedBare` (its admin, viewer
 * and managed-account m1 tokens, and acme's admin), managed accounts m1 and m2, published components,
 * an injected clock and a scheduler that runs only when a test ticks it. Every answer goes through
 * the OpenAPI-checking client.
 */
import { mintToken } from '../../sync-server/auth.ts';
import type { Timer } from '../../sync-server/scheduler.ts';
import { startTestServer, type TestServer } from '../server/helpers.ts';
import { restClient, type RestClient } from './client.ts';

export function fakeClock(iso: string) {
  let now = new Date(iso);
  return { now: () => new Date(now), set: (next: string) => void (now = new Date(next)) };
}

const manualTimer: Timer = { set: () => undefined, clear: () => undefined };

export interface RestWorld {
  t: TestServer;
  rest: RestClient;
  clock: ReturnType<typeof fakeClock>;
  /** Token of a user of managed account m2. */
  managed2: string;
  /** Component ids by name: Orders (PROCESS), Invoices (PROCESS), Status API (API_SERVICE). */
  components: Record<'orders' | 'invoices' | 'statusApi', string>;
  /** Publishes the next version of a component. */
  publish(componentId: string): Promise<void>;
  close(): Promise<void>;
}

export const V1 = '/api/rest/v1/demo';

export async function startRestWorld({ pageSize = 100, now = '2026-03-10T12:00:00Z' } = {}): Promise<RestWorld> {
  const clock = fakeClock(now);
  const t = await startTestServer({ clock, limits: { restPageSize: pageSize }, scheduler: { timer: manualTimer } });
  const managed2 = await mintToken(t.server.store.accounts, {
    id: 'mia',
    accountId: 'demo',
    name: 'mia',
    role: 'managed',
    managedAccountId: 'm2',
  });
  await t.server.rooms.mutate('demo', (_doc, _origin, records) => {
    records.putManagedAccount({ id: 'm1', name: 'Fabrikam' });
    records.putManagedAccount({ id: 'm2', name: 'Contoso' });
  });
  const publishNew = async (name: string, type: string) => {
    const answer = await fetch(`${t.server.url}/api/accounts/demo/components`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${t.tokens.admin}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name, type }),
    });
    return ((await answer.json()) as { id: string }).id;
  };
  const components = {
    orders: await publishNew('Orders', 'PROCESS'),
    invoices: await publishNew('Invoices', 'PROCESS'),
    statusApi: await publishNew('Status API', 'API_SERVICE'),
  };
  return {
    t,
    rest: await restClient(t.server.url),
    clock,
    managed2,
    components,
    publish: async (componentId) => {
      const answer = await fetch(`${t.server.url}/api/accounts/demo/components/${componentId}/versions`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${t.tokens.admin}` },
      });
      if (answer.status !== 200) throw new Error(`publishing ${componentId} answered ${answer.status}`);
    },
    close: () => t.close(),
  };
}

/** The body of a PublisherIntegrationPack create holding these components. */
export const packBody = (name: string, componentIds: string[] = [], installationType = 'SINGLE') => ({
  name,
  Description: `${name} for tests`,
  installationType,
  PublisherPackagedComponents: { PublisherPackagedComponent: componentIds.map((componentId) => ({ componentId })) },
});
