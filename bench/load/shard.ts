/**
 * One process of the load generator (bench/load/generator.ts starts several): a share of the light
 * clients, driven over IPC. Each client edits its own pack at the rate it is told (open loop: a
 * late edit is sent at once, not skipped, unless it is more than a second late) and records, per
 * step, how long every other client's edit took to reach it.
 */
import { Histogram, type HistogramJson } from './histogram.ts';
import { LightClient, nowMicros, type Marker } from './light-client.ts';

export type ShardCommand =
  | { type: 'start'; clients: { index: number; url: string; packId: string; seed?: string }[]; total: number }
  | { type: 'rate'; perClientPerSecond: number }
  | { type: 'measure'; step: number }
  | { type: 'collect'; step: number }
  | { type: 'stop' };

export type ShardReport =
  | { type: 'ready' }
  | { type: 'error'; message: string }
  | {
      type: 'collected';
      step: number;
      histogram: HistogramJson;
      /** Edits of this shard's clients tagged with the step. */
      sent: number;
      /** Deliveries of the step's edits to this shard's clients (each observer counts). */
      delivered: number;
      /** CPU this process used since the last collect, in seconds, and the wall time it covers. */
      cpuSeconds: number;
      wallSeconds: number;
      /** Edits more than a second late, dropped from the schedule (the generator could not keep up). */
      skipped: number;
      maxBufferedBytes: number;
    };

const send = (report: ShardReport) => process.send?.(report);

/** This process's clients, their schedule and what they saw, step by step. */
class Shard {
  private clients: LightClient[] = [];
  private indexes: number[] = [];
  /** lastSeen[observer * total + writer]: highest seq of the writer this observer has seen. */
  private lastSeen = new Int32Array(0);
  private total = 0;
  private periodMicros = 0;
  private nextDue: number[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private measuringStep = 0;
  private readonly sentByStep = new Map<number, number>();
  private readonly histograms = new Map<number, Histogram>();
  private readonly deliveredByStep = new Map<number, number>();
  private skipped = 0;
  private maxBuffered = 0;
  private cpuMark = process.cpuUsage();
  private wallMark = nowMicros();

  private readonly onMarkers = (observer: number, markers: Marker[], received: number): void => {
    for (const marker of markers) {
      if (marker.writer === observer || marker.writer >= this.total) continue;
      const slot = observer * this.total + marker.writer;
      if (marker.seq <= this.lastSeen[slot]!) continue;
      this.lastSeen[slot] = marker.seq;
      if (marker.step === 0) continue;
      let histogram = this.histograms.get(marker.step);
      if (!histogram) this.histograms.set(marker.step, (histogram = new Histogram()));
      histogram.add(received - marker.sentMicros);
      this.deliveredByStep.set(marker.step, (this.deliveredByStep.get(marker.step) ?? 0) + 1);
    }
  };

  private readonly tick = (): void => {
    this.timer = undefined;
    if (this.periodMicros === 0) return;
    const now = nowMicros();
    let soonest = Number.POSITIVE_INFINITY;
    this.clients.forEach((client, i) => {
      if (now - this.nextDue[i]! > 1_000_000) {
        const late = Math.floor((now - this.nextDue[i]!) / this.periodMicros);
        this.skipped += late;
        this.nextDue[i]! += late * this.periodMicros;
      }
      while (this.nextDue[i]! <= now) {
        client.edit(this.measuringStep);
        if (this.measuringStep !== 0) this.sentByStep.set(this.measuringStep, (this.sentByStep.get(this.measuringStep) ?? 0) + 1);
        this.nextDue[i]! += this.periodMicros;
      }
      this.maxBuffered = Math.max(this.maxBuffered, client.bufferedBytes);
      soonest = Math.min(soonest, this.nextDue[i]!);
    });
    this.timer = setTimeout(this.tick, Math.max(0, (soonest - nowMicros()) / 1000));
  };

  handle(command: ShardCommand): void {
    switch (command.type) {
      case 'start': {
        this.total = command.total;
        this.indexes = command.clients.map((client) => client.index);
        this.lastSeen = new Int32Array(this.total * this.total);
        let ready = 0;
        this.clients = command.clients.map(
          (spec) =>
            new LightClient({
              url: spec.url,
              index: spec.index,
              packId: spec.packId,
              ...(spec.seed ? { seed: new Uint8Array(Buffer.from(spec.seed, 'base64')) } : {}),
              onMarkers: this.onMarkers,
              onReady: () => {
                if (++ready === command.clients.length) send({ type: 'ready' });
              },
              onClosed: (reason) => send({ type: 'error', message: `client ${spec.index} closed: ${reason}` }),
            }),
        );
        return;
      }
      case 'rate': {
        this.periodMicros = command.perClientPerSecond > 0 ? 1_000_000 / command.perClientPerSecond : 0;
        const now = nowMicros();
        // Evenly staggered over the whole population, so the server sees a steady stream.
        this.nextDue = this.indexes.map((index) => now + (this.periodMicros * index) / this.total);
        if (this.timer) clearTimeout(this.timer);
        this.timer = undefined;
        if (this.periodMicros > 0) this.tick();
        return;
      }
      case 'measure':
        this.measuringStep = command.step;
        return;
      case 'collect': {
        const histogram = this.histograms.get(command.step) ?? new Histogram();
        const cpu = process.cpuUsage(this.cpuMark);
        const wall = nowMicros();
        send({
          type: 'collected',
          step: command.step,
          histogram: histogram.toJSON(),
          sent: this.sentByStep.get(command.step) ?? 0,
          delivered: this.deliveredByStep.get(command.step) ?? 0,
          cpuSeconds: (cpu.user + cpu.system) / 1e6,
          wallSeconds: (wall - this.wallMark) / 1e6,
          skipped: this.skipped,
          maxBufferedBytes: this.maxBuffered,
        });
        this.cpuMark = process.cpuUsage();
        this.wallMark = wall;
        this.skipped = 0;
        this.maxBuffered = 0;
        this.histograms.delete(command.step);
        return;
      }
      case 'stop':
        if (this.timer) clearTimeout(this.timer);
        for (const client of this.clients) client.close();
        process.exit(0);
    }
  }
}

const shard = new Shard();
process.on('message', (command: ShardCommand) => shard.handle(command));
process.on('disconnect', () => process.exit(0));
