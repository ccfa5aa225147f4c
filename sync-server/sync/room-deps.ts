/** What a room is given by the registry that owns it. */
import type { Clock, Limits, RoomOptions } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../storage/types.ts';
import type { CommandExecutor } from '../commands/path.ts';
import type { Room } from './room.ts';

export interface RoomDeps {
  store: Store;
  limits: Limits;
  options: RoomOptions;
  clock: Clock;
  log: Logger;
  executeCommand: CommandExecutor;
  /** The room has had no connection and no work for `idleUnloadMs`. */
  onIdle(room: Room): void;
  /** The room closed itself (its storage failed); forget it so the next use reloads. */
  onClosed(room: Room): void;
}
