/**
 * The load generator: light clients (light-client.ts) spread over several processes (shard.ts),
 * all on one account, each editing its own pack. The offered rate goes up in steps; at each step
 * every edit's time to reach each of the other clients is measured (p50/p99 over all deliveries;
 * deliveries still missing after a grace period count as later than any), with the server's CPU
 * time from /proc and each generator process's own CPU share, so a step where the generator and not
 * the server was the limit shows as such.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { Histogram } from './histogram.ts';
import type { ShardCommand, ShardReport } from './shard.ts';
import { ROOT, type Child } from '../support/processes.ts';

export interface LoadTarget {
  label: string;
  server: Child;
  /** The ws URL client `index` connects to (room and query included). */
  urlOf(index: number): string;
  /** An update the first client sends once synced (to give an empty reference the same document). */
  seed?: Uint8Array;
}

export interface LoadOptions {
  clients: number;
  shards: number;
  /** Offered edits per second (all clients together), in the order tried. */
  rates: number[];
  warmupMs: number;
  measureMs: number;
  /** After a step's window closes, how long its last edits may still arrive. */
  graceMs: number;
  /** A step holds when its p99 edit-to-seen is at most this. */
  p99LimitMs: number;
  /** Stop after this many steps in a row that do not hold. */
  stopAfterFailures: number;
  /** `taskset -c` list for the generator's processes (undefined: not pinned). */
  cpus?: string;
}

export interface LoadStep {
  offered: number;
  /** Edits actually sent per second in the window. */
  achieved: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  edits: number;
  deliveries: number;
  expectedDeliveries: number;
  serverCpuMsPerEdit: number;
  /** Share of one core the server used in the window. */
  serverCpuShare: number;
  /** The busiest generator process's share of one core (over the step). */
  generatorCpuShare: number;
  skippedEdits: number;
  holds: boolean;
}

export interface LoadRun {
  label: string;
  steps: LoadStep[];
  /** The highest offered rate whose step held. */
  sustained: number | undefined;
  /** Where p99 crosses the limit, interpolated between the last step that held and the first that did not. */
  crossing: number | undefined;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

class ShardProcess {
  private readonly child: ChildProcess;
  private waiting: ((report: ShardReport) => boolean)[] = [];
  private failure: string | undefined;
  readonly exited: Promise<void>;

  constructor(cpus: string | undefined) {
    const args = ['--import', 'tsx', join(ROOT, 'bench', 'load', 'shard.ts')];
    this.child = cpus
      ? spawn('taskset', ['-c', cpus, process.execPath, ...args], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
      : spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.exited = new Promise((resolve) => this.child.once('exit', () => resolve()));
    this.child.on('message', (report: ShardReport) => {
      if (report.type === 'error') this.failure ??= report.message;
      this.waiting = this.waiting.filter((wants) => !wants(report));
    });
    this.child.once('exit', (code) => {
      this.failure ??= `a generator process exited (${code})`;
    });
  }

  send(command: ShardCommand): void {
    if (this.child.connected) this.child.send(command);
  }

  next<T extends ShardReport['type']>(type: T, timeoutMs: number): Promise<Extract<ShardReport, { type: T }>> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(this.failure ?? `no "${type}" from a generator process within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiting.push((report) => {
        if (report.type === 'error') {
          clearTimeout(timer);
          reject(new Error(report.message));
          return true;
        }
        if (report.type !== type) return false;
        clearTimeout(timer);
        resolve(report as Extract<ShardReport, { type: T }>);
        return true;
      });
    });
  }

  async stop(): Promise<void> {
    this.send({ type: 'stop' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}

function crossingOf(steps: readonly LoadStep[], limitMs: number): number | undefined {
  const firstFail = steps.findIndex((step) => !step.holds);
  if (firstFail <= 0) return firstFail === 0 ? undefined : steps.at(-1)?.offered;
  const good = steps[firstFail - 1]!;
  const bad = steps[firstFail]!;
  if (!Number.isFinite(bad.p99Ms) || bad.p99Ms <= good.p99Ms) return good.offered;
  return good.offered + ((limitMs - good.p99Ms) / (bad.p99Ms - good.p99Ms)) * (bad.offered - good.offered);
}

export async function runLoad(target: LoadTarget, options: LoadOptions): Promise<LoadRun> {
  const shards = Array.from({ length: options.shards }, () => new ShardProcess(options.cpus));
  try {
    const readies = shards.map((shard) => shard.next('ready', 60_000));
    shards.forEach((shard, s) => {
      const clients = [];
      for (let index = s; index < options.clients; index += options.shards)
        clients.push({
          index,
          url: target.urlOf(index),
          packId: `load-${String(index).padStart(2, '0')}`,
          ...(index === 0 && target.seed ? { seed: Buffer.from(target.seed).toString('base64') } : {}),
        });
      shard.send({ type: 'start', clients, total: options.clients });
    });
    await Promise.all(readies);
    // Every pack created and stored; a light trickle warms the connections.
    const perClient = (rate: number) => rate / options.clients;
    for (const shard of shards) shard.send({ type: 'rate', perClientPerSecond: perClient(50) });
    await sleep(1_000);

    const steps: LoadStep[] = [];
    let failures = 0;
    for (const [i, offered] of options.rates.entries()) {
      const step = i + 1;
      for (const shard of shards) shard.send({ type: 'rate', perClientPerSecond: perClient(offered) });
      await sleep(options.warmupMs);
      const cpu0 = target.server.cpuSeconds();
      const began = performance.now();
      for (const shard of shards) shard.send({ type: 'measure', step });
      await sleep(options.measureMs);
      for (const shard of shards) shard.send({ type: 'measure', step: 0 });
      const windowSeconds = (performance.now() - began) / 1000;
      const serverCpu = target.server.cpuSeconds() - cpu0;
      await sleep(options.graceMs);
      const collected = shards.map((shard) => shard.next('collected', 30_000));
      for (const shard of shards) shard.send({ type: 'collect', step });
      const reports = await Promise.all(collected);

      const histogram = new Histogram();
      for (const report of reports) histogram.merge(report.histogram);
      const edits = reports.reduce((sum, report) => sum + report.sent, 0);
      const deliveries = reports.reduce((sum, report) => sum + report.delivered, 0);
      const expectedDeliveries = edits * (options.clients - 1);
      if (expectedDeliveries > deliveries) histogram.addMissing(expectedDeliveries - deliveries);
      const p99Ms = histogram.quantileMs(0.99);
      const holds = p99Ms <= options.p99LimitMs;
      steps.push({
        offered,
        achieved: edits / windowSeconds,
        p50Ms: histogram.quantileMs(0.5),
        p99Ms,
        maxMs: histogram.maxMs,
        edits,
        deliveries,
        expectedDeliveries,
        serverCpuMsPerEdit: edits > 0 ? (serverCpu * 1000) / edits : Number.NaN,
        serverCpuShare: serverCpu / windowSeconds,
        generatorCpuShare: Math.max(...reports.map((report) => report.cpuSeconds / report.wallSeconds)),
        skippedEdits: reports.reduce((sum, report) => sum + report.skipped, 0),
        holds,
      });
      failures = holds ? 0 : failures + 1;
      if (failures >= options.stopAfterFailures) break;
    }
    const held = steps.filter((step) => step.holds);
    return {
      label: target.label,
      steps,
      sustained: held.length > 0 ? Math.max(...held.map((step) => step.offered)) : undefined,
      crossing: crossingOf(steps, options.p99LimitMs),
    };
  } finally {
    await Promise.all(shards.map((shard) => shard.stop()));
  }
}
