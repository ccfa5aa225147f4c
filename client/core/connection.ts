/**
 * The WebSocket to the sync server: y-websocket's WebsocketProvider for messages 0/1 (sync,
 * awareness) plus our handlers for 100-103 (stored, notice, command, command result).
 *
 * Reconnecting is ours, not y-websocket's: its built-in retry is exponential without jitter and
 * capped at 2.5 s. We pass `shouldReconnect: () => false`, so after every close it reports by the
 * `closed` event and stays down; we then call `provider.connect()` after `backoffDelay(attempt)`
 * (exponential, equal jitter, 0.5 s → 30 s). The attempt count resets once a connection has synced,
 * and the browser's `online` event retries at once.
 * Tabs of one browser also sync through y-websocket's BroadcastChannel (`crossTab`, on in browsers), so
 * two offline tabs stay in step; it is off in Node, where every test client would otherwise share it.
 */
import type { Awareness } from 'y-protocols/awareness';
import type * as decoding from 'lib0/decoding';
import { WebsocketProvider } from 'y-websocket';
import * as Y from 'yjs';
import {
  decodeExtensionMessage,
  isExtensionType,
  MessageType,
  PROTOCOL_VERSION,
  type CommandResult,
  type Notice,
} from '../../shared/index.ts';
import { backoffDelay, defaultBackoff, type BackoffOptions } from './backoff.ts';

export type ConnectionState = 'offline' | 'connecting' | 'connected';

export interface ConnectionEvents {
  onState(state: ConnectionState): void;
  onSynced(synced: boolean): void;
  onStored(stateVector: Map<number, number>): void;
  onNotice(notice: Notice): void;
  onCommandResult(result: CommandResult): void;
  /** A reconnect was scheduled after `delayMs` (attempt counts from 0). */
  onReconnectScheduled?(delayMs: number, attempt: number): void;
}

export interface ConnectionOptions extends ConnectionEvents {
  serverUrl: string;
  accountId: string;
  token: string;
  doc: Y.Doc;
  awareness: Awareness;
  WebSocketPolyfill?: unknown;
  random?: () => number;
  backoff?: BackoffOptions;
  /** Sync with other tabs of this browser (default: when there is a `window`). */
  crossTab?: boolean;
}

/** http(s)://host → ws(s)://host/sync */
export function syncUrl(serverUrl: string): string {
  const url = new URL(serverUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.pathname = url.pathname.replace(/\/+$/, '') + '/sync';
  url.search = '';
  url.hash = '';
  return url.toString().replace(/\/+$/, '');
}

/** Stands in where there is no WebSocket (Node without a polyfill): the workspace stays offline. */
class NoWebSocket {
  constructor() {
    throw new Error('No WebSocket implementation here: pass WebSocketPolyfill (e.g. the `ws` package in Node).');
  }
}

type Handler = (encoder: unknown, decoder: decoding.Decoder, provider: WebsocketProvider, emitSynced: boolean, type: number) => void;

export class SyncConnection {
  readonly provider: WebsocketProvider;
  private wanted = false;
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private state: ConnectionState = 'offline';
  private readonly onlineListener = () => {
    if (!this.wanted) return;
    this.attempt = 0;
    this.reconnectNow();
  };

  constructor(private readonly options: ConnectionOptions) {
    this.provider = new WebsocketProvider(syncUrl(options.serverUrl), options.accountId, options.doc, {
      connect: false,
      awareness: options.awareness,
      params: { token: options.token, proto: PROTOCOL_VERSION },
      disableBc: !(options.crossTab ?? typeof window !== 'undefined'),
      shouldReconnect: () => false,
      WebSocketPolyfill: (options.WebSocketPolyfill ?? globalThis.WebSocket ?? NoWebSocket) as typeof WebSocket,
    });
    const handlers = this.provider.messageHandlers as unknown as Handler[];
    for (const type of [MessageType.stored, MessageType.notice, MessageType.command, MessageType.commandResult])
      handlers[type] = (_encoder, decoder, _provider, _emitSynced, messageType) => this.onExtension(messageType, decoder);

    // Between attempts (waiting out the backoff) we are offline; 'connecting' is a socket opening.
    this.provider.on('status', ({ status }) =>
      this.setState(status === 'connected' ? 'connected' : status === 'connecting' ? 'connecting' : 'offline'),
    );
    this.provider.on('sync', (synced) => {
      if (synced) this.attempt = 0;
      options.onSynced(synced);
    });
    this.provider.on('connection-close', () => this.setState('offline'));
    this.provider.on('closed', () => this.scheduleReconnect());
    if (typeof globalThis.addEventListener === 'function') globalThis.addEventListener('online', this.onlineListener);
  }

  private onExtension(type: number, decoder: decoding.Decoder): void {
    if (!isExtensionType(type)) return;
    let message: ReturnType<typeof decodeExtensionMessage>;
    try {
      message = decodeExtensionMessage(type, decoder);
    } catch (error) {
      console.warn('Ignored a malformed message from the server:', error);
      return;
    }
    switch (message.type) {
      case MessageType.stored:
        this.options.onStored(Y.decodeStateVector(message.stateVector));
        break;
      case MessageType.notice:
        this.options.onNotice(message.notice);
        break;
      case MessageType.commandResult:
        this.options.onCommandResult(message.result);
        break;
    }
  }

  private setState(state: ConnectionState): void {
    if (state === this.state) return;
    this.state = state;
    this.options.onState(state);
  }

  private scheduleReconnect(): void {
    if (!this.wanted || this.timer) return;
    const attempt = this.attempt++;
    const delay = backoffDelay(attempt, this.options.random ?? Math.random, this.options.backoff ?? defaultBackoff);
    this.options.onReconnectScheduled?.(delay, attempt);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.wanted) this.provider.connect();
    }, delay);
  }

  private reconnectNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (!this.provider.wsconnected && !this.provider.wsconnecting) this.provider.connect();
  }

  get connectionState(): ConnectionState {
    return this.state;
  }

  /** Connected and the server's state has arrived (sync step 2): commands may go out. */
  get ready(): boolean {
    return this.provider.wsconnected && this.provider.synced;
  }

  connect(): void {
    this.wanted = true;
    this.reconnectNow();
  }

  disconnect(): void {
    this.wanted = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.provider.disconnect();
    this.setState('offline');
  }

  /** Sends one of our frames; false when there is no open socket. */
  send(frame: Uint8Array): boolean {
    const ws = this.provider.ws;
    if (!this.provider.wsconnected || !ws || ws.readyState !== 1) return false;
    ws.send(frame);
    return true;
  }

  destroy(): void {
    this.disconnect();
    if (typeof globalThis.removeEventListener === 'function') globalThis.removeEventListener('online', this.onlineListener);
    this.provider.destroy();
  }
}
