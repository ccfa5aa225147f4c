/**
 * What the server can be told: the limits it enforces and the knobs of persistence. Everything has a
 * default here; `createSyncServer` takes partial overrides, so tests can shrink a limit to hit it.
 */

export interface Limits {
  /** Largest frame a connection may send before its sync step 1 (the handshake) arrived. */
  maxMessageBytesBeforeSync: number;
  /** Largest frame after that (a client coming back with a week of offline edits). ws closes 1009 above it. */
  maxMessageBytes: number;
  /** Open sockets per publisher account; one more is refused at the upgrade with HTTP 503. */
  maxConnectionsPerAccount: number;
  /** Of those, at most this many viewers: the rest is always left for admins (viewers never lock them out). */
  maxViewerConnectionsPerAccount: number;
  /** Open sockets per person (tabs and devices of one token's person); one more gets HTTP 503. */
  maxConnectionsPerPerson: number;
  /** Upgrades being authenticated at once, across accounts; more get HTTP 503. */
  maxPendingUpgrades: number;
  /** Bytes of one awareness state (its JSON); a larger one is dropped. */
  maxAwarenessStateBytes: number;
  /** Awareness client ids one connection may speak for. */
  maxAwarenessClientsPerConnection: number;
  /** Sustained frames per second per connection; above it the socket is paused until tokens refill. */
  messagesPerSecond: number;
  /** Frames a connection may send in a burst. */
  messageBurst: number;
  /**
   * Outgoing bytes a connection may have queued (beyond one frame larger than this, e.g. the first
   * sync of a big document, sent to an empty queue) before it is closed with 1013 as too slow a reader.
   */
  maxBufferedBytes: number;
  /** Sync step 1 frames a connection may send at once; past them it is closed with 1008. */
  syncStep1Burst: number;
  /** … refilled at this many per second. */
  syncStep1PerSecond: number;
  /** Largest HTTP request body. */
  maxHttpBodyBytes: number;
  /** Records per page of a REST query (the platform's page is 100); the rest follow through queryMore. */
  restPageSize: number;
}

export const defaultLimits: Limits = {
  maxMessageBytesBeforeSync: 64 * 1024,
  maxMessageBytes: 8 * 1024 * 1024,
  maxConnectionsPerAccount: 200,
  maxViewerConnectionsPerAccount: 150,
  maxConnectionsPerPerson: 20,
  maxPendingUpgrades: 512,
  maxAwarenessStateBytes: 4 * 1024,
  maxAwarenessClientsPerConnection: 4,
  messagesPerSecond: 500,
  messageBurst: 2000,
  maxBufferedBytes: 1024 * 1024,
  syncStep1Burst: 5,
  syncStep1PerSecond: 0.5,
  maxHttpBodyBytes: 1024 * 1024,
  restPageSize: 100,
};

export interface RoomOptions {
  /** A room with no connections for this long is flushed and unloaded from memory. */
  idleUnloadMs: number;
  /** Extra wait to gather updates into one commit; 0 commits on the next turn of the event loop. */
  groupCommitMs: number;
  /**
   * Under load (more than `batchAboveUpdatesPerSecond` document updates per second lately), the least
   * time between the start of one commit and the next: each commit gathers the updates of this span
   * (fewer fsyncs, one broadcast frame for more edits). Below it, nothing waits.
   */
  commitIntervalMs: number;
  batchAboveUpdatesPerSecond: number;
  /** The update log is merged into a snapshot when it holds more than this many bytes … */
  compactAfterBytes: number;
  /** … or this many updates. */
  compactAfterUpdates: number;
}

export const defaultRoomOptions: RoomOptions = {
  idleUnloadMs: 30_000,
  groupCommitMs: 0,
  commitIntervalMs: 5,
  batchAboveUpdatesPerSecond: 400,
  compactAfterBytes: 4 * 1024 * 1024,
  compactAfterUpdates: 2_000,
};

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** `maxConnectionsPerPerson` → `LIMIT_MAX_CONNECTIONS_PER_PERSON`: each limit's environment variable. */
export const limitVariable = (name: keyof Limits): string => `LIMIT_${name.replace(/[A-Z]/g, (letter) => `_${letter}`).toUpperCase()}`;

/**
 * The limits an operator set in the environment (`LIMIT_…`, one per limit), for `npm start`. A
 * value that is not a positive number, or a `LIMIT_` variable that names no limit (a typo would
 * otherwise leave the default in force unnoticed), is an error that names the variable.
 */
export function limitsFromEnv(env: Readonly<Record<string, string | undefined>>): Partial<Limits> {
  const byVariable = new Map((Object.keys(defaultLimits) as (keyof Limits)[]).map((name) => [limitVariable(name), name]));
  const limits: Partial<Limits> = {};
  for (const [variable, text] of Object.entries(env)) {
    if (!variable.startsWith('LIMIT_') || text === undefined || text === '') continue;
    const name = byVariable.get(variable);
    if (!name) throw new Error(`${variable} is not a limit. The limits are: ${[...byVariable.keys()].join(', ')}.`);
    const value = Number(text);
    if (!(Number.isFinite(value) && value > 0))
      throw new Error(`${variable} must be a positive number (default ${defaultLimits[name]}), not "${text}".`);
    limits[name] = value;
  }
  return limits;
}
