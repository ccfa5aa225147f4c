/**
 * Fan-out: 50 stock y-websocket clients (WebsocketProvider, ws as WebSocketPolyfill) on one account
 * document over loopback, each editing its own pack's description; the description carries the
 * edit's timestamp, and every other client records how long the edit took to reach it.
 *
 * Both servers run in a child process (one core for the server, one for the 50 clients), one after
 * the other, with the same document (the demo account), the same clients and the same load:
 *   - ours: sync-server/main.ts exactly as `npm start` runs it (auth, rules, SQLite with fsync);
 *   - reference: y-websocket 1.5.4's in-memory bin/utils.js (reference-server.cjs).
 * Phases: paced (every client edits every `intervalMs`: latency p50/p99), then closed loop (each
 * client edits again as soon as the next client has seen its previous edit: updates per second).
 */
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import { writeNewPack, writePackDescription } from '../../shared/index.ts';
import { buildDemoDoc, demoAccounts } from '../../sync-server/seed.ts';
import { quantile, type CaseResult, type Figure } from '../support/figures.ts';
import { createPulse, delay, until } from '../support/wait.ts';
import { summarize, type NodeProfile } from '../support/node-profile.ts';
import { personTokens } from '../support/people.ts';
import {
  cpuProfileArgs,
  readCpuProfiles,
  removeDir,
  spawnOurServer,
  spawnReferenceServer,
  tempDir,
  type Child,
} from '../support/processes.ts';

export interface FanoutOptions {
  clients: number;
  /** Paced phase: each client edits every intervalMs. */
  intervalMs: number;
  warmupMs: number;
  pacedMs: number;
  closedLoopMs: number;
}

export const defaultFanoutOptions: FanoutOptions = { clients: 50, intervalMs: 250, warmupMs: 1_500, pacedMs: 5_000, closedLoopMs: 4_000 };
/** Rounds of each server; each figure reports each side's best round (all rounds are in results.json). */
const ROUNDS = 2;

interface Target {
  label: 'ours' | 'reference';
  server: Child;
  serverUrl: string;
  room: string;
  tokens: string[];
  /** The reference starts empty: the first client brings the demo document. */
  seedDoc: Y.Doc | undefined;
}

export interface FanoutRun {
  label: string;
  latencySamples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  pacedEditsPerSecond: number;
  closedLoopEdits: number;
  updatesPerSecond: number;
  deliveriesPerSecond: number;
  /** Server CPU time per edit in the closed-loop phase (apply, rules, storage and 49 sends). */
  serverCpuMsPerEdit: number;
  /** One server core's worth of edits at that cost. */
  serverCapacityPerCore: number;
  serverCpuShareClosedLoop: number;
  clientCpuShareClosedLoop: number;
  serverRssMiB: number;
  converged: boolean;
}

const packIdOf = (i: number) => `fanout-${String(i).padStart(2, '0')}`;
const INDEX = /^fanout-(\d+)$/;
const DESCRIPTION = /^(\d+)@([\d.]+)$/;

async function runAgainst(target: Target, options: FanoutOptions): Promise<FanoutRun> {
  const n = options.clients;
  const pulse = createPulse();
  const docs: Y.Doc[] = [];
  const providers: WebsocketProvider[] = [];
  /** seen[writer][observer] = highest seq of writer's edits observer has seen. */
  const seen = Array.from({ length: n }, () => new Int32Array(n).fill(-1));
  const written = new Int32Array(n).fill(-1);
  let latencies: number[] = [];
  let recording = false;
  let ring = false;
  let deliveries = 0;

  const edit = (i: number) => {
    const seq = written[i]! + 1;
    written[i] = seq;
    writePackDescription(docs[i]!, packIdOf(i), `${seq}@${performance.now().toFixed(3)}`);
  };

  const connect = (i: number) => {
    const doc = new Y.Doc();
    if (i === 0 && target.seedDoc) Y.applyUpdate(doc, Y.encodeStateAsUpdate(target.seedDoc));
    doc.getMap('packs').observeDeep((events) => {
      const now = performance.now();
      for (const event of events) {
        if (!(event.target instanceof Y.Map) || !(event as Y.YMapEvent<unknown>).keysChanged.has('description')) continue;
        const packId = event.target._item?.parentSub;
        const writer = packId ? Number(INDEX.exec(packId)?.[1] ?? -1) : -1;
        if (writer < 0 || writer === i) continue;
        const match = DESCRIPTION.exec(String(event.target.get('description')));
        if (!match) continue;
        const seq = Number(match[1]);
        const row = seen[writer]!;
        if (seq > row[i]!) row[i] = seq;
        deliveries++;
        if (recording) latencies.push(now - Number(match[2]));
        if (ring && i === (writer + 1) % n && seq === written[writer]) queueMicrotask(() => ring && edit(writer));
      }
      pulse.emit();
    });
    const provider = new WebsocketProvider(target.serverUrl, target.room, doc, {
      params: { token: target.tokens[i % target.tokens.length]! },
      WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket,
      disableBc: true,
      maxBackoffTime: 1_000,
    });
    provider.on('sync', () => pulse.emit());
    provider.on('status', () => pulse.emit());
    docs[i] = doc;
    providers[i] = provider;
  };

  try {
    connect(0);
    await until(pulse, () => providers[0]!.synced, 'the first client to sync', 20_000);
    for (let i = 1; i < n; i++) connect(i);
    await until(pulse, () => providers.every((p) => p.synced), `${n} clients to sync`, 30_000);
    for (let i = 0; i < n; i++)
      writeNewPack(docs[i]!, {
        id: packIdOf(i),
        name: `Fan-out ${i}`,
        description: '',
        installationType: 'SINGLE',
        componentIds: [],
        createdAt: new Date().toISOString(),
        createdBy: `client ${i}`,
      });
    await until(pulse, () => docs.every((doc) => packIdsOf(doc) >= n), 'every client to see every pack', 30_000);

    // Paced: each client edits every intervalMs, staggered evenly.
    const timers: ReturnType<typeof setInterval>[] = [];
    const starters: ReturnType<typeof setTimeout>[] = [];
    for (let i = 0; i < n; i++)
      starters.push(setTimeout(() => timers.push(setInterval(() => edit(i), options.intervalMs)), (options.intervalMs * i) / n));
    await delay(options.warmupMs);
    latencies = [];
    recording = true;
    const pacedStartEdits = sum(written) + n;
    const pacedStart = performance.now();
    await delay(options.pacedMs);
    const pacedEdits = sum(written) + n - pacedStartEdits;
    const pacedSeconds = (performance.now() - pacedStart) / 1000;
    recording = false;
    starters.forEach(clearTimeout);
    timers.forEach(clearInterval);
    await until(pulse, () => allSeen(seen, written), 'the paced edits to reach everyone', 30_000);
    const paced = latencies;

    // Closed loop: one edit in flight per client; the next client's seeing it releases the next.
    const loopStartEdits = sum(written) + n;
    const loopStartDeliveries = deliveries;
    const serverCpu0 = target.server.cpuSeconds();
    const clientCpu0 = process.cpuUsage();
    const loopStart = performance.now();
    ring = true;
    for (let i = 0; i < n; i++) edit(i);
    await delay(options.closedLoopMs);
    ring = false;
    await until(pulse, () => allSeen(seen, written), 'the closed-loop edits to reach everyone', 60_000);
    const loopSeconds = (performance.now() - loopStart) / 1000;
    const loopEdits = sum(written) + n - loopStartEdits;
    const serverCpu = target.server.cpuSeconds() - serverCpu0;
    const clientCpuUsage = process.cpuUsage(clientCpu0);
    const clientCpu = (clientCpuUsage.user + clientCpuUsage.system) / 1e6;
    const finalDescriptions = docs.map((doc) => JSON.stringify(descriptions(doc)));

    return {
      label: target.label,
      latencySamples: paced.length,
      p50Ms: quantile(paced, 0.5),
      p99Ms: quantile(paced, 0.99),
      maxMs: quantile(paced, 1),
      pacedEditsPerSecond: pacedEdits / pacedSeconds,
      closedLoopEdits: loopEdits,
      updatesPerSecond: loopEdits / loopSeconds,
      deliveriesPerSecond: (deliveries - loopStartDeliveries) / loopSeconds,
      serverCpuMsPerEdit: (serverCpu * 1000) / loopEdits,
      serverCapacityPerCore: loopEdits / serverCpu,
      serverCpuShareClosedLoop: serverCpu / loopSeconds,
      clientCpuShareClosedLoop: clientCpu / loopSeconds,
      serverRssMiB: target.server.rssBytes() / 2 ** 20,
      converged: finalDescriptions.every((d) => d === finalDescriptions[0]),
    };
  } finally {
    for (const provider of providers) provider.destroy();
    for (const doc of docs) doc.destroy();
  }
}

const sum = (values: Int32Array) => values.reduce((a, b) => a + b, 0);
const packIdsOf = (doc: Y.Doc) => [...doc.getMap('packs').keys()].filter((id) => INDEX.test(id)).length;
const descriptions = (doc: Y.Doc) =>
  Object.fromEntries(
    [...doc.getMap<Y.Map<unknown>>('packs').entries()]
      .filter(([id]) => INDEX.test(id))
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([id, pack]) => [id, pack.get('description')]),
  );

function allSeen(seen: Int32Array[], written: Int32Array): boolean {
  for (let writer = 0; writer < seen.length; writer++) {
    const row = seen[writer]!;
    for (let observer = 0; observer < row.length; observer++) if (observer !== writer && row[observer]! < written[writer]!) return false;
  }
  return true;
}

export async function fanoutCase(options: FanoutOptions = defaultFanoutOptions): Promise<CaseResult> {
  const runs: FanoutRun[] = [];
  const profiles: Record<string, NodeProfile | undefined> = {};
  // BENCH_PROFILE=1: CPU profiles of both servers in the first round, to say where their time goes (sampling perturbs the figures a little).
  const profiling = process.env.BENCH_PROFILE === '1';
  const profileDirs = { ours: tempDir('bench-fanout-prof-'), reference: tempDir('bench-fanout-prof-') };
  const profileArgs = (dir: string, round: number) => (profiling && round === 0 ? cpuProfileArgs(dir) : []);
  try {
    // ABAB: ours, reference, ours, reference — other load on the machine hits both sides alike.
    for (let round = 0; round < ROUNDS; round++) {
      const dataDir = tempDir('bench-fanout-');
      try {
        const tokens = await personTokens(dataDir, options.clients);
        const ours = await spawnOurServer(dataDir, profileArgs(profileDirs.ours, round));
        try {
          runs.push(
            await runAgainst(
              { label: 'ours', server: ours, serverUrl: `${ours.wsUrl}/sync`, room: 'demo', tokens, seedDoc: undefined },
              options,
            ),
          );
        } finally {
          await ours.stop();
        }
      } finally {
        removeDir(dataDir);
      }
      const reference = await spawnReferenceServer(profileArgs(profileDirs.reference, round));
      try {
        const seedDoc = buildDemoDoc(demoAccounts[0]!, new Date());
        runs.push(
          await runAgainst(
            { label: 'reference', server: reference, serverUrl: reference.wsUrl, room: 'demo', tokens: ['none'], seedDoc },
            options,
          ),
        );
      } finally {
        await reference.stop();
      }
    }
    if (profiling)
      for (const [label, dir] of Object.entries(profileDirs)) {
        const { main, workers } = readCpuProfiles(dir);
        profiles[label] = main && summarize(main);
        if (workers[0]) profiles[`${label} (other thread)`] = summarize(workers[0]);
      }
  } finally {
    for (const dir of Object.values(profileDirs)) removeDir(dir);
  }
  /** Each side's best of its rounds, figure by figure. */
  const best = (label: string): FanoutRun => {
    const mine = runs.filter((run) => run.label === label);
    const min = (key: 'p50Ms' | 'p99Ms' | 'serverCpuMsPerEdit') => Math.min(...mine.map((run) => run[key]));
    const max = (key: 'updatesPerSecond' | 'serverCapacityPerCore') => Math.max(...mine.map((run) => run[key]));
    const fastest = mine.reduce((a, b) => (b.updatesPerSecond > a.updatesPerSecond ? b : a));
    return {
      ...fastest,
      p50Ms: min('p50Ms'),
      p99Ms: min('p99Ms'),
      serverCpuMsPerEdit: min('serverCpuMsPerEdit'),
      updatesPerSecond: max('updatesPerSecond'),
      serverCapacityPerCore: max('serverCapacityPerCore'),
    };
  };
  const our = best('ours');
  const ref = best('reference');

  const figures: Figure[] = [
    { case: 'fanout', figure: 'edit-to-seen p50', unit: 'ms', value: our.p50Ms, reference: ref.p50Ms },
    {
      case: 'fanout',
      figure: 'edit-to-seen p99',
      unit: 'ms',
      value: our.p99Ms,
      reference: ref.p99Ms,
      goal: { compare: 'ratio', op: '<=', target: 1.2 },
    },
    {
      case: 'fanout',
      figure: 'updates/s, 50 clients (closed loop)',
      unit: '/s',
      value: our.updatesPerSecond,
      reference: ref.updatesPerSecond,
      goal: { compare: 'value', op: '>=', target: 2_000 },
    },
    {
      case: 'fanout',
      figure: 'server capacity (edits per CPU-second)',
      unit: '/s',
      value: our.serverCapacityPerCore,
      reference: ref.serverCapacityPerCore,
      goal: { compare: 'value', op: '>=', target: 2_000 },
    },
  ];
  const holdsBack: string[] = [];
  if (our.p99Ms > 1.2 * ref.p99Ms)
    holdsBack.push(
      `p99 ${our.p99Ms.toFixed(1)} ms vs ${ref.p99Ms.toFixed(1)} ms: our server spends ${our.serverCpuMsPerEdit.toFixed(3)} ms CPU per edit ` +
        `against the reference's ${ref.serverCpuMsPerEdit.toFixed(3)} ms (rules check of the touched pack, an SQLite commit with fsync before the broadcast).`,
    );
  if (our.updatesPerSecond < 2_000) {
    const clientBound = our.clientCpuShareClosedLoop > 0.85;
    holdsBack.push(
      `updates/s ${our.updatesPerSecond.toFixed(0)} (reference ${ref.updatesPerSecond.toFixed(0)}): each edit is applied by ${options.clients - 1} stock clients ` +
        `(${our.deliveriesPerSecond.toFixed(0)} applies/s in the client process, ${(our.clientCpuShareClosedLoop * 100).toFixed(0)}% of a core; the server used ` +
        `${(our.serverCpuShareClosedLoop * 100).toFixed(0)}% of a core). ` +
        (clientBound
          ? `The 50 clients' process is saturated, not the server: the server's CPU cost per edit puts one server core at ${our.serverCapacityPerCore.toFixed(0)} edits/s.`
          : our.serverCpuShareClosedLoop > 0.85
            ? `The server is the limit: ${our.serverCpuMsPerEdit.toFixed(3)} ms CPU per edit.`
            : 'Neither process had a full core: other load on the machine.'),
    );
  }
  for (const run of runs)
    if (!run.converged) holdsBack.push(`the ${run.label} run did not converge: the clients' final descriptions differ.`);
  const where = (p: NodeProfile | undefined) =>
    p
      ? p.files
          .slice(0, 6)
          .map((f) => `${f.name} ${(f.ms / 1000).toFixed(1)} s`)
          .join(', ')
      : 'no profile';
  if (our.serverCapacityPerCore < 2_000)
    holdsBack.push(
      `server CPU per edit ${our.serverCpuMsPerEdit.toFixed(3)} ms (reference ${ref.serverCpuMsPerEdit.toFixed(3)} ms): one core handles ${our.serverCapacityPerCore.toFixed(0)} edits/s with 50 listeners. ` +
        (profiling
          ? `Where the server's main thread spent the run, by file — ours: ${where(profiles.ours)}; reference: ${where(profiles.reference)}.`
          : 'Run with BENCH_PROFILE=1 for where the servers spend it.'),
    );
  return {
    figures,
    holdsBack,
    details: { options, rounds: ROUNDS, reported: "each side's best round per figure", runs, serverProfiles: profiles },
  };
}
