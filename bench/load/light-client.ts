/**
 * A light sync client for the load generator. It speaks the y-websocket protocol (sync step 1 and
 * 2, then updates) over `ws`, but holds only its own pack in a tiny Y.Doc: its edits are real Yjs
 * updates the server checks and merges, while what it receives is never applied. Each edit sets its
 * pack's description to a marker `LG|writer|seq|sentMicros|step|`; an observer finds the markers in
 * the received bytes (a Yjs update keeps a string's UTF-8 bytes as they are) and decodes only them.
 * Times are CLOCK_MONOTONIC microseconds (process.hrtime), the same in every process of the machine.
 */
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import WebSocket from 'ws';
import * as Y from 'yjs';
import { writeNewPack } from '../../shared/schema.ts';

const MESSAGE_SYNC = 0;
const SYNC_STEP1 = 0;
const SYNC_STEP2 = 1;
const SYNC_UPDATE = 2;
const MARKER = Buffer.from('LG|');
const BAR = 0x7c; // '|'

export const nowMicros = (): number => Number(process.hrtime.bigint() / 1000n);

export interface Marker {
  writer: number;
  seq: number;
  sentMicros: number;
  step: number;
}

/** Every marker in a frame (a batch the server merged holds several). */
export function findMarkers(frame: Buffer): Marker[] {
  const found: Marker[] = [];
  for (let at = frame.indexOf(MARKER); at >= 0; at = frame.indexOf(MARKER, at + MARKER.length)) {
    const fields: number[] = [];
    let start = at + MARKER.length;
    for (let i = start; i < frame.length && fields.length < 4; i++) {
      if (frame[i] !== BAR) continue;
      fields.push(Number(frame.toString('latin1', start, i)));
      start = i + 1;
    }
    if (fields.length === 4 && fields.every(Number.isFinite))
      found.push({ writer: fields[0]!, seq: fields[1]!, sentMicros: fields[2]!, step: fields[3]! });
  }
  return found;
}

const syncFrame = (sub: number, payload: Uint8Array): Uint8Array => {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  encoding.writeVarUint(encoder, sub);
  encoding.writeVarUint8Array(encoder, payload);
  return encoding.toUint8Array(encoder);
};

export interface LightClientOptions {
  /** ws URL of the room, with its query (the token for ours). */
  url: string;
  index: number;
  packId: string;
  /** Sent once synced, before the client's own pack (the reference starts with an empty document). */
  seed?: Uint8Array;
  onMarkers(observer: number, markers: Marker[], receivedMicros: number): void;
  onReady(): void;
  onClosed(reason: string): void;
}

export class LightClient {
  private readonly doc = new Y.Doc();
  private readonly socket: WebSocket;
  private seq = 0;
  private ready = false;

  constructor(private readonly options: LightClientOptions) {
    this.doc.on('update', (update: Uint8Array) => this.send(syncFrame(SYNC_UPDATE, update)));
    this.socket = new WebSocket(options.url, { perMessageDeflate: false });
    this.socket.on('open', () => this.send(syncFrame(SYNC_STEP1, Y.encodeStateVector(this.doc))));
    this.socket.on('message', (data: Buffer) => this.receive(data));
    this.socket.on('close', (code, reason) => options.onClosed(`${code} ${reason.toString()}`));
    this.socket.on('error', (error) => options.onClosed(String(error)));
  }

  private send(frame: Uint8Array): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(frame);
  }

  private receive(data: Buffer): void {
    const received = nowMicros();
    const decoder = decoding.createDecoder(data);
    if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return; // awareness and the rest: not needed
    const sub = decoding.readVarUint(decoder);
    if (sub === SYNC_UPDATE) {
      const markers = findMarkers(data);
      if (markers.length > 0) this.options.onMarkers(this.options.index, markers, received);
    } else if (sub === SYNC_STEP1) {
      this.send(syncFrame(SYNC_STEP2, Y.encodeStateAsUpdate(this.doc, decoding.readVarUint8Array(decoder))));
    } else if (sub === SYNC_STEP2 && !this.ready) {
      // Synced: what the server holds is not needed here. Bring the seed, then this client's pack.
      this.ready = true;
      if (this.options.seed) this.send(syncFrame(SYNC_UPDATE, this.options.seed));
      writeNewPack(this.doc, {
        id: this.options.packId,
        name: `Load ${this.options.index}`,
        description: '',
        installationType: 'SINGLE',
        componentIds: [],
        createdAt: new Date().toISOString(),
        createdBy: `load client ${this.options.index}`,
      });
      this.options.onReady();
    }
  }

  /** One edit of this client's pack; returns its seq. */
  edit(step: number): number {
    const seq = ++this.seq;
    const pack = this.doc.getMap<Y.Map<unknown>>('packs').get(this.options.packId)!;
    pack.set('description', `LG|${this.options.index}|${seq}|${nowMicros()}|${step}|`);
    return seq;
  }

  get bufferedBytes(): number {
    return this.socket.bufferedAmount;
  }

  close(): void {
    this.socket.terminate();
    this.doc.destroy();
  }
}
