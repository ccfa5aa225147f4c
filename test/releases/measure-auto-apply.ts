/**
 * Measures the auto-apply on a real server (SQLite, fsync per commit): N instances of one pack get a
 * pending release, the clock passes its date, and one scheduler pass applies it in chunks. Meanwhile
 * another account's document takes a write every few milliseconds; the slowest of those writes shows
 * whether the batches stall other accounts. Not a test (no timed assertions): run it by hand,
 *   npx tsx test/releases/measure-auto-apply.ts 20000 100000
 */
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { writeNewPack } from '../../shared/schema.ts';
import { fakeClock, removeDir, startServer, tempDataDir } from './support.ts';

async function measure(count: number, durability: 'full' | 'normal') {
  const dataDir = tempDataDir();
  const clock = fakeClock('2025-03-10T12:00:00Z');
  const server = await startServer(dataDir, clock, durability);
  try {
    await server.store.accounts.putAccount({ id: 'big', name: 'Big', multiInstallEnabled: true, timeZone: 'UTC' });
    await server.store.accounts.putAccount({ id: 'other', name: 'Other', multiInstallEnabled: true, timeZone: 'UTC' });
    await server.rooms.mutate('big', (doc, origin, records) => {
      records.putManagedAccount({ id: 'm', name: 'M' });
      records.putComponent({ id: 'c1', name: 'C', type: 'PROCESS', versions: [1, 2] });
      writeNewPack(
        doc,
        { id: 'p', name: 'P', description: '', installationType: 'MULTI', componentIds: ['c1'], createdAt: '', createdBy: '' },
        origin,
      );
      const base = { packId: 'p', releaseSchedule: 'IMMEDIATELY' as const, releasedBy: 'x', releasedAt: '', requestId: 'r' };
      records.putReleases('p', [
        { ...base, number: 1, components: [{ componentId: 'c1', version: 1 }], status: 'SUCCESS' },
        {
          ...base,
          number: 2,
          components: [{ componentId: 'c1', version: 2 }],
          status: 'SCHEDULED',
          releaseSchedule: 'RELEASE_ON_SPECIFIED_DATE',
          releaseOnDate: '2025-03-20',
        },
      ]);
    });
    for (let start = 0; start < count; start += 5_000)
      await server.rooms.mutate('big', (_doc, _origin, records) => {
        for (let i = start; i < Math.min(count, start + 5_000); i += 1)
          records.putInstance({
            id: `i${i}`,
            packId: 'p',
            managedAccountId: 'm',
            overrideName: `n${i}`,
            releaseNumber: 1,
            pendingReleaseNumber: 2,
            atomIds: [],
            environmentIds: [],
            installedAt: '',
          });
      });

    let slowest = 0;
    let writes = 0;
    let running = true;
    const otherWrites = (async () => {
      while (running) {
        const began = performance.now();
        await server.rooms.mutate('other', (doc) => void doc.getMap('scratch').set('n', writes));
        slowest = Math.max(slowest, performance.now() - began);
        writes += 1;
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    clock.set('2025-03-20T00:00:01Z');
    // How long the event loop was blocked at worst, and how long the scheduler's own steps took.
    const loopDelay = monitorEventLoopDelay({ resolution: 10 });
    loopDelay.enable();
    let slowestStep = 0;
    const mutate = server.rooms.mutate.bind(server.rooms);
    server.rooms.mutate = (accountId, fn) =>
      mutate(accountId, (doc, origin, records) => {
        const stepBegan = performance.now();
        try {
          return fn(doc, origin, records);
        } finally {
          if (accountId === 'big') slowestStep = Math.max(slowestStep, performance.now() - stepBegan);
        }
      });
    const began = performance.now();
    const report = await server.scheduler.tick();
    const elapsed = performance.now() - began;
    running = false;
    await otherWrites;
    loopDelay.disable();
    console.log(
      `${count} instances (durability ${durability}): applied ${report.instancesUpdated} in ${elapsed.toFixed(0)} ms ` +
        `(${((report.instancesUpdated / elapsed) * 1000).toFixed(0)}/s); other account: ${writes} writes meanwhile, slowest ${slowest.toFixed(1)} ms; ` +
        `slowest transaction ${slowestStep.toFixed(1)} ms; event loop blocked at most ${(loopDelay.max / 1e6).toFixed(0)} ms`,
    );
  } finally {
    await server.close();
    removeDir(dataDir);
  }
}

for (const arg of process.argv.slice(2).length ? process.argv.slice(2) : ['20000']) {
  await measure(Number(arg), 'full');
}
