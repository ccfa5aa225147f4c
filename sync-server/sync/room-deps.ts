/** What a room is given by the registry that owns it. */
import type { Clock, Limits, RoomOptions } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../storage/types.ts';
import type { CommandExecutor } from '../commands/path.ts';
import type { Room } from './room.ts';

/** Counters a room bumps, one line where it happens (ops/metrics.ts backs them with prom-client). */
export interface RoomMetrics {
  readonly updatesApplied: { inc(): void };
  /** reason: read_only, malformed, rule. */
  readonly updatesRefused: { inc(labels: { reason: string }): void };
}

export interface RoomDeps {
  store: Store;
  limits: Limits;
  options: RoomOptions;
  clock: Clock;
  log: Logger;
  executeCommand: CommandExecutor;
  metrics?: RoomMetrics;
  /** The room has had no connection and no work for `idleUnloadMs`. */
  onIdle(room: Room): void;
  /** The room closed itself (its storage failed); forget it so the next use reloads. */
  onClosed(room: Room): void;
}
