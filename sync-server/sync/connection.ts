/**
 * One client socket in a room: who it is, whether it speaks our message types, the limits on what
 * it sends (frame size, rate, sync step 1 requests) and on what it may be sent (a slow reader is
 * closed, not buffered: a small bound, beyond one large frame such as the first sync of a big
 * document). The socket is an interface so the room can be driven by a fake in unit tests.
 */
import type { Session } from '../auth.ts';
import type { Limits } from '../config.ts';
import { CloseCode } from '../../shared/protocol.ts';
import { createTokenBucket, type TokenBucket } from './rate-limit.ts';

/** What the room needs of a socket; `ws`'s WebSocket satisfies it. */
export interface SyncSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Uint8Array): void;
  close(code?: number, reason?: string): void;
  /** Drops the socket at once (a reader too slow to receive even a close frame). */
  terminate?(): void;
  pause?(): void;
  resume?(): void;
}

const OPEN = 1;
/** How long a slow reader closed with 1013 gets to take its close frame before the socket is dropped. */
const SLOW_READER_GRACE_MS = 1_000;
/** Resyncs the server asks of one connection (sync step 1 after an update that lacked what it builds on). */
const RESYNC_BURST = 3;
const RESYNCS_PER_SECOND = 0.2;

/** The origin of a client's transactions: the room tells client edits from server ones by it. */
export class ClientOrigin {
  constructor(readonly connection: Connection) {}
}

let nextConnectionId = 1;

export class Connection {
  readonly id = nextConnectionId++;
  readonly origin = new ClientOrigin(this);
  /** Awareness client ids this connection speaks for. */
  readonly awarenessIds = new Set<number>();
  /** Set once the client's sync step 1 (the handshake) arrived: the larger frame limit applies after. */
  synced = false;
  closed = false;
  private readonly bucket: TokenBucket;
  private readonly step1Bucket: TokenBucket;
  private readonly resyncBucket = createTokenBucket(RESYNCS_PER_SECOND, RESYNC_BURST);
  /** The size of one frame larger than the bound, sent to a drained queue and not yet drained itself. */
  private largeFrameAllowance = 0;
  private resumeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly socket: SyncSocket,
    readonly session: Session,
    /** Speaks types 100–103 (connected with proto=1). */
    readonly proto: boolean,
    private readonly limits: Limits,
  ) {
    this.bucket = createTokenBucket(limits.messagesPerSecond, limits.messageBurst);
    this.step1Bucket = createTokenBucket(limits.syncStep1PerSecond, limits.syncStep1Burst);
  }

  /** A sync step 1 arrived: false when the connection asks for the document more often than allowed. */
  allowSyncStep1(): boolean {
    return this.step1Bucket.take() === 0;
  }

  /** Whether the server may ask this connection to resync now (bounded: a client without the missing part would loop). */
  allowResync(): boolean {
    return this.resyncBucket.take() === 0;
  }

  get canWrite(): boolean {
    return this.session.role === 'admin';
  }

  /** The frame size limit at this point of the connection. */
  get maxFrameBytes(): number {
    return this.synced ? this.limits.maxMessageBytes : this.limits.maxMessageBytesBeforeSync;
  }

  /** Called per incoming frame: throttles the socket when the client sends faster than allowed. */
  throttle(): void {
    const wait = this.bucket.take();
    if (wait === 0 || this.resumeTimer || !this.socket.pause || !this.socket.resume) return;
    this.socket.pause();
    this.resumeTimer = setTimeout(() => {
      this.resumeTimer = undefined;
      if (!this.closed) this.socket.resume?.();
    }, wait);
  }

  send(frame: Uint8Array): void {
    if (this.closed || this.socket.readyState !== OPEN) return;
    const queued = this.socket.bufferedAmount;
    const bound = this.limits.maxBufferedBytes;
    if (queued <= bound) this.largeFrameAllowance = 0;
    else if (queued > bound + this.largeFrameAllowance) {
      this.close(CloseCode.tryAgainLater, 'Too much unread data; reconnect.');
      const dropTimer = setTimeout(() => this.socket.terminate?.(), SLOW_READER_GRACE_MS);
      dropTimer.unref?.();
      return;
    }
    // One large frame (the first sync of a big document) goes out to a drained queue whatever its size.
    if (frame.byteLength > bound && queued <= bound) this.largeFrameAllowance = frame.byteLength;
    try {
      this.socket.send(frame);
    } catch {
      this.close(CloseCode.tryAgainLater, 'Send failed.');
    }
  }

  close(code: number, reason: string): void {
    if (this.resumeTimer) clearTimeout(this.resumeTimer);
    this.resumeTimer = undefined;
    if (this.closed) return;
    this.closed = true;
    try {
      // Close reasons are limited to 123 bytes.
      this.socket.close(code, Buffer.from(reason).subarray(0, 120).toString());
    } catch {
      /* already gone */
    }
  }
}
