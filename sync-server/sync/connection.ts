/**
 * One client socket in a room: who it is, whether it speaks our message types, the limits on what
 * it sends (frame size, rate) and on what it may be sent (a slow reader is closed, not buffered
 * forever). The socket is an interface so the room can be driven by a fake in unit tests.
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
  pause?(): void;
  resume?(): void;
}

const OPEN = 1;

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
  private resumeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly socket: SyncSocket,
    readonly session: Session,
    /** Speaks types 100–103 (connected with proto=1). */
    readonly proto: boolean,
    private readonly limits: Limits,
  ) {
    this.bucket = createTokenBucket(limits.messagesPerSecond, limits.messageBurst);
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
    if (this.socket.bufferedAmount > this.limits.maxBufferedBytes) {
      this.close(CloseCode.tryAgainLater, 'Too much unread data; reconnect.');
      return;
    }
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
