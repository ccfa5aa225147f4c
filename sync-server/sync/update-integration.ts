/**
 * What Yjs would do with an update, worked out without touching the document: which structs it would
 * integrate, in which order, and whether any would be left pending (a gap in a client's clocks, or an
 * origin, right origin or parent that is neither stored nor in the update). The loop follows
 * `integrateStructs` in yjs/src/utils/encoding.js (13.6) step for step, on a copy of the state vector.
 * Pure: reads the store, changes nothing.
 */
import * as decoding from 'lib0/decoding';
import * as Y from 'yjs';
import type { DecodedUpdate } from './frames.ts';

export type Struct = Y.Item | Y.GC | Y.Skip;

/** One client's structs of an update, in clock order (one block: Yjs reads one per client). */
export type Blocks = Map<number, Struct[]>;

export class MalformedUpdate extends Error {}

/**
 * Groups the decoded structs per client. Yjs keeps only the last block of a client that appears more
 * than once (and an empty block erases an earlier one), so such updates are refused as malformed: the
 * update's own header (its block count) must match the clients that have structs.
 */
export function blocksOf(update: Uint8Array, decoded: DecodedUpdate): Blocks {
  const blocks: Blocks = new Map();
  let previous: number | undefined;
  for (const struct of decoded.structs) {
    const client = struct.id.client;
    let list = blocks.get(client);
    if (list === undefined) blocks.set(client, (list = []));
    else if (previous !== client) throw new MalformedUpdate(`Client ${client} appears twice in the update.`);
    list.push(struct);
    previous = client;
  }
  const declared = decoding.readVarUint(decoding.createDecoder(update));
  if (declared !== blocks.size) throw new MalformedUpdate('The update has empty or repeated client blocks.');
  return blocks;
}

export interface Integration {
  /** Structs Yjs would integrate (with the offset of the part it has not got yet), in order. */
  integrated: { struct: Y.Item | Y.GC; offset: number }[];
  /** Each client's state once the update is integrated. */
  stateAfter(client: number): number;
}

export type Simulated = { ok: true; value: Integration } | { ok: false; missing: { client: number; clock: number } };

/** The ids an item depends on: its origin, right origin and parent (when the parent is an id). */
function dependencies(item: Y.Item): Y.ID[] {
  const ids: Y.ID[] = [];
  if (item.origin) ids.push(item.origin);
  if (item.rightOrigin) ids.push(item.rightOrigin);
  if (item.parent instanceof Y.ID) ids.push(item.parent);
  return ids;
}

export function simulateIntegration(store: Y.Doc['store'], blocks: Blocks): Simulated {
  const state = new Map<number, number>();
  const stateOf = (client: number) => state.get(client) ?? Y.getState(store, client);
  const refs = new Map<number, { i: number; refs: Struct[] }>();
  for (const [client, list] of blocks) refs.set(client, { i: 0, refs: list });
  const clients = [...refs.keys()].sort((a, b) => a - b);
  const integrated: Integration['integrated'] = [];
  const nextTarget = () => {
    while (clients.length > 0) {
      const target = refs.get(clients[clients.length - 1]!)!;
      if (target.i < target.refs.length) return target;
      clients.pop();
    }
    return null;
  };
  let target = nextTarget();
  if (target === null) return { ok: true, value: { integrated, stateAfter: stateOf } };
  const stack: Struct[] = [];
  let head: Struct = target.refs[target.i++]!;
  for (;;) {
    if (!(head instanceof Y.Skip)) {
      const client = head.id.client;
      const local = stateOf(client);
      const offset = local - head.id.clock;
      if (offset < 0) return { ok: false, missing: { client, clock: local } };
      let missing: number | null = null;
      if (head instanceof Y.Item)
        for (const id of dependencies(head)) {
          if (id.client === client) {
            // Yjs takes a reference to the same client as present; one to a later clock throws mid-update.
            if (id.clock >= local) throw new MalformedUpdate(`A struct of client ${client} refers to its own future clock ${id.clock}.`);
          } else if (id.clock >= stateOf(id.client)) {
            missing = id.client;
            break;
          }
        }
      if (missing !== null) {
        stack.push(head);
        const other = refs.get(missing);
        if (other === undefined || other.i === other.refs.length)
          return { ok: false, missing: { client: missing, clock: stateOf(missing) } };
        head = other.refs[other.i++]!;
        continue;
      }
      if (offset < head.length) {
        integrated.push({ struct: head, offset });
        state.set(client, head.id.clock + head.length);
      }
    }
    if (stack.length > 0) head = stack.pop()!;
    else if (target !== null && target.i < target.refs.length) head = target.refs[target.i++]!;
    else {
      target = nextTarget();
      if (target === null) break;
      head = target.refs[target.i++]!;
    }
  }
  return { ok: true, value: { integrated, stateAfter: stateOf } };
}
