/**
 * Decides whether a client's update may be applied, before Yjs touches the document (Yjs cannot take
 * an update back). A deterministic function of the stored document, the update, the client-id
 * bindings and the sender: the update is refused whole when
 *   - it depends on structs or clocks the server does not have (the sender is asked to resync);
 *   - it carries structs under a client id bound to another person, or under the server's own id;
 *   - it writes outside `packs`, or writes anything but the pack shape (a Y.Map per pack, a Y.Map of
 *     components, plain values, nothing nested deeper, no list or text content);
 *   - it replaces or deletes a pack's map (deleting a pack is DELETE_PACK) or its `components` map;
 *   - it deletes outside client-writable content, or clocks nobody has;
 *   - a new pack's id breaks the pack-id rule, or a value is larger than its field may be stored.
 * Rules about what a value means (name required, type fixed, components allowed, at most 100) are
 * checked after the update is applied and repaired then (guard.ts): they keep stock clients
 * converging, and the limit on components can only be crossed by merging valid edits.
 * Cost: a few binary searches per struct and per deleted struct; nothing proportional to the document.
 */
import * as encoding from 'lib0/encoding';
import * as Y from 'yjs';
import {
  limits,
  PackKey,
  Root,
  SERVER_OWNED_ROOTS,
  utf8Bytes,
  validateDescription,
  validateName,
  validatePackId,
} from '../../shared/index.ts';
import type { DecodedUpdate } from './frames.ts';
import { blocksOf, MalformedUpdate, simulateIntegration, type Struct } from './update-integration.ts';

export { MalformedUpdate };

export interface UpdateCheckInput {
  /** The server's document, as stored (read only). */
  doc: Y.Doc;
  update: Uint8Array;
  decoded: DecodedUpdate;
  /** The sender's person id. */
  personId: string;
  /** Yjs client id → the person it is bound to. */
  owners: ReadonlyMap<number, string>;
  /** The room's own Yjs client id: nobody else may use it. */
  serverClientId: number;
}

export interface Refusal {
  code: string;
  message: string;
  packId?: string;
  /** The update lacks what the server does not have: the sender should resync (sync step 1). */
  resync: boolean;
  /**
   * The sender's own clocks the refused update used, as (client, clock, length): recorded as void (a
   * GC struct, no content) so the sender's later updates do not wait behind them forever. Absent when
   * the clocks are not the sender's to give (another person's id) or may still come (a resync).
   */
  voids?: [number, number, number][];
}

/** A name or description the update sets (its last value for the key, not deleted by the update itself). */
export interface FieldWrite {
  packId: string;
  field: 'name' | 'description';
  id: Y.ID;
  value: unknown;
}

export type Verdict = { ok: true; newClientIds: number[]; fieldWrites: FieldWrite[] } | ({ ok: false; newClientIds?: number[] } & Refusal);

/** Largest plain value of a pack field other than name and description (installationType, createdAt, …). */
export const MAX_OTHER_VALUE_BYTES = 1024;

const OWNED: ReadonlySet<string> = new Set(SERVER_OWNED_ROOTS);

class Refused extends Error {
  constructor(readonly refusal: Refusal) {
    super(refusal.message);
  }
}
const refuse = (code: string, message: string, packId?: string): never => {
  throw new Refused({ code, message: `Your change was not saved: ${message}`, resync: false, ...(packId === undefined ? {} : { packId }) });
};

/** Where an item lands: its root and the keys below it (null: a list position), or nowhere (it would be garbage-collected). */
type Place = { root: string; keys: (string | null)[]; parentDeleted: boolean; newAncestor: boolean } | 'inert';

// biome-ignore lint/suspicious/noExplicitAny: Yjs types every parent and root as AbstractType<any>.
type AnyType = Y.AbstractType<any>;

class Checker {
  private readonly rootNames: Map<AnyType, string>;
  private readonly stateBefore = new Map<number, number>();
  private readonly places = new Map<Y.Item, Place>();
  /** The update's own structs per client, in clock order, for lookups. */
  private readonly own = new Map<number, Struct[]>();
  /** The update's delete ranges per client, sorted, for lookups. */
  private deletes: Map<number, { clock: number; len: number }[]> | undefined;
  private readonly fieldWrites: FieldWrite[] = [];

  constructor(private readonly input: UpdateCheckInput) {
    this.rootNames = new Map([...input.doc.share].map(([name, type]) => [type, name]));
  }

  private before(client: number): number {
    let state = this.stateBefore.get(client);
    if (state === undefined) this.stateBefore.set(client, (state = Y.getState(this.input.doc.store, client)));
    return state;
  }

  run(): Verdict {
    const { input } = this;
    const blocks = blocksOf(input.update, input.decoded);
    for (const [client, structs] of blocks) this.own.set(client, structs);
    const newClientIds = this.checkClientIds(blocks);
    const simulated = simulateIntegration(input.doc.store, blocks);
    if (!simulated.ok)
      return {
        ok: false,
        code: 'MISSING_DEPENDENCIES',
        message: `Your change was not saved yet: it builds on changes the server has not received (client ${simulated.missing.client} from clock ${simulated.missing.clock}). Send them first.`,
        resync: true,
      };
    const { integrated, stateAfter } = simulated.value;
    try {
      this.checkRootNames();
      for (const { struct } of integrated) if (struct instanceof Y.Item) this.checkWrite(struct);
      this.checkDeletes(stateAfter);
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      const voids: [number, number, number][] = [];
      for (const client of blocks.keys()) {
        const [from, to] = [this.before(client), stateAfter(client)];
        if (to > from) voids.push([client, from, to - from]);
      }
      return { ok: false, ...error.refusal, ...(voids.length > 0 ? { voids, newClientIds } : {}) };
    }
    return { ok: true, newClientIds, fieldWrites: this.fieldWrites };
  }

  /**
   * Applying an update creates every root it names, even for structs the server already has: a root
   * the document does not have would be an empty type in memory for each name an update cares to send.
   */
  private checkRootNames(): void {
    for (const struct of this.input.decoded.structs)
      if (struct instanceof Y.Item && typeof struct.parent === 'string' && !this.input.doc.share.has(struct.parent))
        refuse('UNKNOWN_DATA', `this document holds only integration packs (and what the server maintains), not "${struct.parent}".`);
  }

  /** Client ids with new clocks must be the sender's (or unbound: they become the sender's). */
  private checkClientIds(blocks: Map<number, Struct[]>): number[] {
    const unbound: number[] = [];
    for (const [client, structs] of blocks) {
      const last = structs.findLast((s) => !(s instanceof Y.Skip));
      if (!last || last.id.clock + last.length <= this.before(client)) continue; // nothing new under this id
      const owner = this.input.owners.get(client);
      if (client === this.input.serverClientId || (owner !== undefined && owner !== this.input.personId))
        throw new Refused({
          code: 'CLIENT_ID_TAKEN',
          message: `Your change was not saved: Yjs client id ${client} belongs to someone else. Reload the page to continue with an id of your own.`,
          resync: false,
        });
      if (owner === undefined) unbound.push(client);
    }
    return unbound;
  }

  /** The struct (stored or in this update) that holds `id`. */
  private lookup(id: Y.ID): { struct: Y.Item | Y.GC; stored: boolean } | undefined {
    if (id.clock < this.before(id.client)) {
      const struct = Y.getItem(this.input.doc.store, id) as Y.Item | Y.GC;
      return { struct, stored: true };
    }
    const structs = this.own.get(id.client);
    if (!structs) return undefined;
    let low = 0;
    let high = structs.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const s = structs[mid]!;
      if (id.clock < s.id.clock) high = mid - 1;
      else if (id.clock >= s.id.clock + s.length) low = mid + 1;
      else return s instanceof Y.Skip ? undefined : { struct: s, stored: false };
    }
    return undefined;
  }

  /** Where a stored item is: its root and keys, walking up its parents. */
  private storedPlace(item: Y.Item): Place {
    const keys: (string | null)[] = [];
    let parentDeleted = false;
    let current: Y.Item = item;
    for (let depth = 0; depth < 64; depth++) {
      keys.unshift(current.parentSub);
      const parent = current.parent as AnyType | null;
      if (!(parent instanceof Y.AbstractType)) return 'inert';
      if (parent._item === null) {
        const root = this.rootNames.get(parent);
        return root === undefined ? 'inert' : { root, keys, parentDeleted, newAncestor: false };
      }
      current = parent._item;
      if (current.deleted) parentDeleted = true;
    }
    return 'inert';
  }

  /** Where an item of this update lands, as Yjs resolves it (origin first, then right origin, then parent). */
  private place(item: Y.Item): Place {
    const known = this.places.get(item);
    if (known) return known;
    const placed = this.resolve(item);
    this.places.set(item, placed);
    return placed;
  }

  private placeOf(found: { struct: Y.Item | Y.GC; stored: boolean } | undefined): Place {
    if (!found || found.struct instanceof Y.GC) return 'inert';
    return found.stored ? this.storedPlace(found.struct) : this.place(found.struct);
  }

  private resolve(item: Y.Item): Place {
    const left = item.origin ? this.lookup(item.origin) : undefined;
    const right = item.rightOrigin ? this.lookup(item.rightOrigin) : undefined;
    if (left?.struct instanceof Y.GC || right?.struct instanceof Y.GC) return 'inert';
    // Next to a neighbour, an item takes the neighbour's parent and key.
    if (item.origin || item.rightOrigin) return this.placeOf(left ?? right);
    const parent = item.parent as unknown;
    if (typeof parent === 'string') return { root: parent, keys: [item.parentSub], parentDeleted: false, newAncestor: false };
    if (!(parent instanceof Y.ID)) return 'inert';
    const found = this.lookup(parent);
    if (!found || !(found.struct instanceof Y.Item) || !(found.struct.content instanceof Y.ContentType)) return 'inert';
    const above = this.placeOf(found);
    if (above === 'inert') return 'inert';
    return {
      root: above.root,
      keys: [...above.keys, item.parentSub],
      parentDeleted: above.parentDeleted || (found.stored && found.struct.deleted),
      newAncestor: above.newAncestor || !found.stored,
    };
  }

  /** A new item (the part from `offset` on) may land only where a client may write, in the pack shape. */
  private checkWrite(item: Y.Item): void {
    const place = this.place(item);
    if (place === 'inert') return;
    const { root, keys } = place;
    if (root !== Root.packs)
      refuse(
        OWNED.has(root) ? 'SERVER_OWNED' : 'UNKNOWN_DATA',
        OWNED.has(root)
          ? `only the server writes "${root}"; use the page's actions instead.`
          : `this document holds only integration packs (and what the server maintains), not "${root}".`,
      );
    const packId = keys[0] ?? undefined;
    if (keys.includes(null)) refuse('UNKNOWN_DATA', 'integration packs are maps of plain values, not lists or text.', packId);
    const content = item.content;
    const nestedMap = content instanceof Y.ContentType && content.type.constructor === Y.Map;
    const deletion = content instanceof Y.ContentDeleted;
    if (!(content instanceof Y.ContentAny) && !deletion && !nestedMap)
      refuse('UNKNOWN_DATA', 'integration packs hold maps and plain values only.', packId);
    if (keys.length === 1) this.checkPackValue(packId!, nestedMap, deletion);
    else if (keys.length === 2) this.checkFieldValue(item, packId!, keys[1]!, place.newAncestor, nestedMap);
    else if (keys.length === 3 && keys[1] === PackKey.components) {
      if (nestedMap) refuse('UNKNOWN_DATA', "a pack's components are marked with true, not nested maps.", packId);
      if (content instanceof Y.ContentAny) this.checkPlainValue(item, packId!, content, MAX_OTHER_VALUE_BYTES, 'VALUE_TOO_LARGE');
    } else refuse('UNKNOWN_DATA', 'integration packs are not nested deeper than their components.', packId);
  }

  private livePack(packId: string): Y.Item | undefined {
    const item = (this.input.doc.getMap(Root.packs) as AnyType)._map.get(packId);
    return item && !item.deleted ? item : undefined;
  }

  private checkPackValue(packId: string, nestedMap: boolean, deletion: boolean): void {
    if (this.livePack(packId))
      refuse('DELETE_IS_A_COMMAND', `integration pack "${packId}" cannot be replaced; deleting a pack is Delete Integration Pack.`, packId);
    if (deletion) return;
    if (!nestedMap) refuse('PACK_MALFORMED', 'an integration pack is a map of its fields.', packId);
    const id = validatePackId(packId);
    if (!id.ok) refuse(id.error.code, id.error.message, packId);
  }

  private checkFieldValue(item: Y.Item, packId: string, field: string, newPack: boolean, nestedMap: boolean): void {
    const { content } = item;
    if (field === PackKey.components) {
      const pack = this.livePack(packId);
      const current = !newPack && pack?.content instanceof Y.ContentType ? (pack.content.type as AnyType)._map.get(field) : undefined;
      if (current && !current.deleted)
        refuse('COMPONENTS_REPLACED', "a pack's components map cannot be replaced; add and remove components instead.", packId);
      return;
    }
    if (nestedMap) refuse('UNKNOWN_DATA', `the field "${field}" holds a plain value, not a map.`, packId);
    if (!(content instanceof Y.ContentAny)) return;
    if (field === PackKey.name || field === PackKey.description) {
      for (const value of content.arr) {
        const check = field === PackKey.name ? validateName(value) : validateDescription(value);
        if (!check.ok && check.error.code.endsWith('_TOO_LARGE')) refuse(check.error.code, lowerFirst(check.error.message), packId);
      }
      if (!newPack && !this.deletedByUpdate(item))
        this.fieldWrites.push({ packId, field, id: item.id, value: content.arr[content.arr.length - 1] });
      this.checkPlainValue(
        item,
        packId,
        content,
        field === PackKey.name ? limits.nameMaxBytes : limits.descriptionMaxBytes,
        'VALUE_TOO_LARGE',
      );
    } else this.checkPlainValue(item, packId, content, MAX_OTHER_VALUE_BYTES, 'VALUE_TOO_LARGE');
  }

  /**
   * One value per map entry; a run of several is only allowed overwritten and deleted (an undo manager
   * keeps such items from garbage collection, and Yjs merges them), each value within the cap.
   */
  private checkPlainValue(item: Y.Item, packId: string, content: Y.ContentAny, maxBytes: number, code: string): void {
    if (content.arr.length !== 1 && !this.deletedByUpdate(item)) refuse('UNKNOWN_DATA', 'a map entry holds one value.', packId);
    for (const value of content.arr)
      if (valueBytes(value, maxBytes) > maxBytes) refuse(code, `a value of this pack is larger than ${maxBytes} bytes.`, packId);
  }

  private deletedByUpdate(item: Y.Item): boolean {
    if (!this.deletes) {
      this.deletes = new Map();
      for (const [client, ranges] of this.input.decoded.ds.clients)
        this.deletes.set(
          client,
          [...ranges].sort((a, b) => a.clock - b.clock),
        );
    }
    const ranges = this.deletes.get(item.id.client) ?? [];
    const [from, to] = [item.id.clock, item.id.clock + item.length];
    let covered = from;
    for (const range of ranges) {
      if (range.clock > covered) break;
      covered = Math.max(covered, range.clock + range.len);
      if (covered >= to) return true;
    }
    return false;
  }

  /** Deletes may only remove client-writable content, never a pack's map or components map, never clocks nobody has. */
  private checkDeletes(stateAfter: (client: number) => number): void {
    for (const [client, ranges] of this.input.decoded.ds.clients)
      for (const { clock, len } of ranges) {
        if (len === 0) continue;
        if (clock + len > stateAfter(client))
          refuse('DELETE_REFUSED', `it deletes changes nobody has made (client ${client}, clocks ${clock}–${clock + len - 1}).`);
        const before = this.before(client);
        if (clock < before) this.checkStoredDeletes(client, clock, Math.min(clock + len, before));
        if (clock + len > before) this.checkOwnDeletes(client, Math.max(clock, before), clock + len);
      }
  }

  private checkStoredDeletes(client: number, from: number, to: number): void {
    const structs = this.input.doc.store.clients.get(client)!;
    for (let i = Y.findIndexSS(structs, from); i < structs.length && structs[i]!.id.clock < to; i++) {
      const struct = structs[i]!;
      if (struct instanceof Y.Item && !struct.deleted) this.checkDeleted(this.storedPlace(struct), struct, true);
    }
  }

  private checkOwnDeletes(client: number, from: number, to: number): void {
    for (const struct of this.own.get(client) ?? [])
      if (struct instanceof Y.Item && struct.id.clock < to && struct.id.clock + struct.length > from)
        this.checkDeleted(this.place(struct), struct, false);
  }

  private checkDeleted(place: Place, item: Y.Item, stored: boolean): void {
    if (place === 'inert') return;
    const packId = place.keys[0] ?? undefined;
    if (place.root !== Root.packs) refuse('DELETE_REFUSED', `only the server removes anything from "${place.root}".`);
    if (!stored || place.parentDeleted) return;
    if (place.keys.length === 1 && item.content instanceof Y.ContentType)
      refuse(
        'DELETE_IS_A_COMMAND',
        `deleting integration pack "${packId}" goes through Delete Integration Pack, which also uninstalls it.`,
        packId,
      );
    if (place.keys.length === 2 && place.keys[1] === PackKey.components)
      refuse('COMPONENTS_REPLACED', "a pack's components map cannot be removed; remove components one by one instead.", packId);
  }
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

/** An update that only records these clock ranges as void (GC structs: no content, nothing to integrate). */
export function voidUpdate(ranges: readonly [number, number, number][]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, ranges.length);
  for (const [client, clock, len] of ranges) {
    encoding.writeVarUint(encoder, 1); // one struct
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, clock);
    encoding.writeUint8(encoder, 0); // a GC struct
    encoding.writeVarUint(encoder, len);
  }
  encoding.writeVarUint(encoder, 0); // no deletes
  return encoding.toUint8Array(encoder);
}

/** The size of a plain value as stored, counted until it passes `budget` (then any larger number). */
export function valueBytes(value: unknown, budget: number, depth = 0): number {
  if (depth > 32) return budget + 1;
  if (typeof value === 'string') return value.length > budget ? value.length : utf8Bytes(value);
  if (value instanceof Uint8Array) return value.byteLength;
  if (Array.isArray(value)) {
    let total = 1;
    for (const entry of value) if ((total += valueBytes(entry, budget - total, depth + 1)) > budget) break;
    return total;
  }
  if (value !== null && typeof value === 'object') {
    let total = 1;
    for (const [key, entry] of Object.entries(value))
      if ((total += utf8Bytes(key) + valueBytes(entry, budget - total, depth + 1)) > budget) break;
    return total;
  }
  return 9;
}

/** Checks a client's update against the stored document; throws MalformedUpdate for an update Yjs itself would choke on. */
export function checkClientUpdate(input: UpdateCheckInput): Verdict {
  try {
    return new Checker(input).run();
  } catch (error) {
    if (error instanceof Refused) return { ok: false, ...error.refusal };
    throw error;
  }
}
