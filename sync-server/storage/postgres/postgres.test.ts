/** What only the PostgreSQL store has: migrations safe under concurrent starts, leases with fences, fenced writes. */
import { afterEach, expect, test } from 'vitest';
import type { Release } from '../../../shared/model.ts';
import { freshDatabase } from '../../../test/support/postgres-db.ts';
import { FencedError, type Store } from '../types.ts';
import { connectPostgres, openPostgresStore } from './index.ts';
import { migrate, migrations } from './migrations.ts';

const open: Store[] = [];
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
});
async function store(url: string): Promise<Store> {
  const s = await openPostgresStore(url);
  open.push(s);
  return s;
}
const me = { id: 'instance-a', url: 'http://a' };
const other = { id: 'instance-b', url: 'http://b' };

test('instances starting at the same moment run each migration once', async () => {
  const url = await freshDatabase();
  await Promise.all([store(url), store(url), store(url)]);
  const sql = connectPostgres(url);
  try {
    const rows = await sql<{ version: number }[]>`SELECT version FROM schema_migrations ORDER BY version`;
    expect(rows.map((r) => r.version)).toEqual(migrations.map((m) => m.version));
  } finally {
    await sql.end();
  }
  // Opening again applies nothing and keeps working.
  const again = await store(url);
  expect(await again.docs.load('x')).toEqual({ snapshot: undefined, updates: [], lastSeq: 0 });
});

test('a database from before release notes (migration 4) opens: its releases load as they were, new ones keep their notes', async () => {
  const url = await freshDatabase();
  const sql = connectPostgres(url);
  try {
    await migrate(
      sql,
      migrations.filter((m) => m.version < 4),
    );
    await sql`INSERT INTO releases (account_id, pack_id, number, release_schedule, release_on_date, status, released_by, released_at,
      request_id, superseded_by, applied_at) VALUES ('a', 'p1', 1, 'IMMEDIATELY', NULL, 'SUCCESS', 'Ann', '2025-03-01T00:00:00.000Z', 'rq-1', NULL, NULL)`;
    await sql`INSERT INTO release_components VALUES ('a', 'p1', 1, 0, 'c1', 1)`;
  } finally {
    await sql.end();
  }
  const opened = await store(url);
  const old: Release = {
    packId: 'p1',
    number: 1,
    components: [{ componentId: 'c1', version: 1 }],
    releaseSchedule: 'IMMEDIATELY',
    status: 'SUCCESS',
    releasedBy: 'Ann',
    releasedAt: '2025-03-01T00:00:00.000Z',
    requestId: 'rq-1',
  };
  expect((await opened.records.load('a')).releases).toStrictEqual([old]);
  const next: Release = { ...old, number: 2, requestId: 'rq-2', notes: 'Retries NetSuite calls.' };
  await opened.docs.append('a', [], { records: [{ op: 'releases', packId: 'p1', releases: [old, next], schedule: [] }] });
  expect((await opened.records.load('a')).releases).toStrictEqual([old, next]);
});

test('a lease has one live holder; a released or lapsed lease is taken with a larger fence', async () => {
  const { leases } = await store(await freshDatabase());
  const first = await leases!.acquire('demo', me, 60_000);
  expect(first).toEqual({ acquired: true, fence: 1 });
  expect(await leases!.acquire('demo', me, 60_000)).toEqual({ acquired: true, fence: 1 });
  const refused = await leases!.acquire('demo', other, 60_000);
  expect(refused.acquired).toBe(false);
  if (!refused.acquired) expect(refused.holder).toMatchObject({ ownerId: 'instance-a', ownerUrl: 'http://a', fence: 1 });
  await leases!.release('demo', me.id, 1);
  expect(await leases!.holder('demo')).toBeUndefined();
  expect(await leases!.acquire('demo', other, 60_000)).toEqual({ acquired: true, fence: 2 });
  expect(await leases!.renew(me.id, ['demo'], 60_000)).toEqual([]);
  expect(await leases!.renew(other.id, ['demo'], 60_000)).toEqual(['demo']);
  // A lease that lapsed (ttl 0: over as soon as it is taken) goes to the next one asking, fence + 1.
  expect(await leases!.acquire('acme', other, 0)).toEqual({ acquired: true, fence: 1 });
  expect(await leases!.acquire('acme', me, 60_000)).toEqual({ acquired: true, fence: 2 });
  // Its lapsed holder taking it again also moves the fence (someone may have written in between).
  await leases!.release('acme', me.id, 2);
  expect(await leases!.acquire('acme', me, 60_000)).toEqual({ acquired: true, fence: 3 });
});

test("a stale owner's append and compaction fail and write nothing", async () => {
  const { docs, leases } = await store(await freshDatabase());
  const { fence } = (await leases!.acquire('demo', me, 0)) as { fence: number };
  expect(await docs.append('demo', [new Uint8Array([1])], { fence })).toBe(1);
  const taken = await leases!.acquire('demo', other, 60_000);
  expect(taken).toEqual({ acquired: true, fence: fence + 1 });
  await expect(docs.append('demo', [new Uint8Array([2])], { fence })).rejects.toBeInstanceOf(FencedError);
  await expect(docs.compact('demo', new Uint8Array([9]), 1, { fence })).rejects.toBeInstanceOf(FencedError);
  await expect(
    docs.append('demo', [new Uint8Array([3])], {
      fence,
      commandResults: [
        {
          accountId: 'demo',
          idempotencyKey: 'k-0001',
          fingerprint: 'f',
          result: { idempotencyKey: 'k-0001', status: 'SUCCESS', message: '' },
        },
      ],
    }),
  ).rejects.toBeInstanceOf(FencedError);
  expect(await open[0]!.records.getCommandResult('demo', 'k-0001')).toBeUndefined();
  expect(await docs.load('demo')).toEqual({ snapshot: undefined, updates: [new Uint8Array([1])], lastSeq: 1 });
  expect(await docs.append('demo', [new Uint8Array([4])], { fence: fence + 1 })).toBe(2);
  // No lease row at all: a fenced write is refused too.
  await expect(docs.append('nobody', [new Uint8Array([5])], { fence: 1 })).rejects.toBeInstanceOf(FencedError);
});

test('exclusive sections of two instances never overlap', async () => {
  const url = await freshDatabase();
  const [a, b] = await Promise.all([store(url), store(url)]);
  const trace: string[] = [];
  const section = (name: string) => async () => {
    trace.push(`${name}+`);
    await new Promise((resolve) => setImmediate(resolve));
    await a.docs.sizes('x');
    trace.push(`${name}-`);
  };
  await Promise.all([a.exclusive!(section('a')), b.exclusive!(section('b'))]);
  expect([trace.join(' ')]).toContainEqual(expect.stringMatching(/^(a\+ a- b\+ b-|b\+ b- a\+ a-)$/));
});
