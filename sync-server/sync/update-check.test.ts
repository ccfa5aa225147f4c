/** The structural check, case by case: what a client update may do to the stored document before it is applied. */
import * as encoding from 'lib0/encoding';
import { describe, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
  packsMap,
  writeAccount,
  writeAddComponents,
  writeComponent,
  writeNewPack,
  writePackDescription,
  writePackName,
  writeRemoveComponent,
  type IntegrationPack,
} from '../../shared/index.ts';
import { defineRoots } from './guard.ts';
import { checkClientUpdate, MalformedUpdate, voidUpdate, type Verdict } from './update-check.ts';

const pack = (id: string, fields: Partial<IntegrationPack> = {}): IntegrationPack => ({
  id,
  name: `Pack ${id}`,
  description: '',
  installationType: 'SINGLE',
  componentIds: [],
  createdAt: '2026-06-01T00:00:00.000Z',
  createdBy: 'Ann',
  ...fields,
});

/** A server document: account, a component, a pack with it; written by the server's own client id. */
function server(): Y.Doc {
  const doc = new Y.Doc();
  defineRoots(doc);
  writeAccount(doc, { id: 'demo', name: 'Demo', multiInstallEnabled: true, timeZone: 'UTC' });
  writeComponent(doc, { id: 'c1', name: 'One', type: 'PROCESS', versions: [1] });
  writeComponent(doc, { id: 'c2', name: 'Two', type: 'PROCESS', versions: [1] });
  writeNewPack(doc, pack('p1', { componentIds: ['c1'] }));
  return doc;
}

/** A client replica of `base` (under `clientId`), and the updates of each edit it makes. */
function replica(base: Y.Doc, clientId?: number) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(base));
  if (clientId !== undefined) doc.clientID = clientId;
  const updates: Uint8Array[] = [];
  doc.on('update', (update: Uint8Array) => updates.push(update));
  return { doc, updates, last: () => updates.at(-1)! };
}

function check(doc: Y.Doc, update: Uint8Array, options: { personId?: string; owners?: Map<number, string> } = {}): Verdict {
  return checkClientUpdate({
    doc,
    update,
    decoded: Y.decodeUpdate(update),
    personId: options.personId ?? 'ann',
    owners: options.owners ?? new Map(),
    serverClientId: doc.clientID,
  });
}
const codeOf = (verdict: Verdict) => (verdict.ok ? 'OK' : verdict.code);

function deleteOnly(ranges: [number, number, number][]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, 0);
  encoding.writeVarUint(encoder, ranges.length);
  for (const [client, clock, len] of ranges) {
    encoding.writeVarUint(encoder, client);
    encoding.writeVarUint(encoder, 1);
    encoding.writeVarUint(encoder, clock);
    encoding.writeVarUint(encoder, len);
  }
  return encoding.toUint8Array(encoder);
}

describe('what a client may do', () => {
  test.each<[string, (doc: Y.Doc) => void]>([
    ['add a pack', (d) => writeNewPack(d, pack('p2'))],
    ['rename a pack', (d) => writePackName(d, 'p1', 'Renamed')],
    ['change a description', (d) => writePackDescription(d, 'p1', 'Described')],
    ['add a component', (d) => writeAddComponents(d, 'p1', ['c2'])],
    ['remove a component', (d) => writeRemoveComponent(d, 'p1', 'c1')],
    ['break a content rule (repaired after it is applied)', (d) => writePackName(d, 'p1', '')],
    ['set an unknown field (repaired after it is applied)', (d) => (packsMap(d).get('p1') as Y.Map<unknown>).set('color', 'red')],
    ['add and remove a pack in one transaction', (d) => d.transact(() => (writeNewPack(d, pack('tmp')), packsMap(d).delete('tmp')))],
  ])('%s', (_what, edit) => {
    const doc = server();
    const client = replica(doc);
    edit(client.doc);
    const verdict = check(doc, client.last());
    // A delete carries no structs, so it binds no client id.
    const structs = Y.decodeUpdate(client.last()).structs.length;
    expect(verdict).toMatchObject({ ok: true, newClientIds: structs > 0 ? [client.doc.clientID] : [] });
  });

  test('an offline session sent at once (a step 2 of many edits, values overwritten in between) is accepted', () => {
    const doc = server();
    const client = replica(doc);
    const before = Y.encodeStateVector(client.doc);
    writeNewPack(client.doc, pack('p2'));
    for (let i = 0; i < 20; i++) writePackName(client.doc, 'p2', `Name ${i}`);
    writeAddComponents(client.doc, 'p2', ['c1', 'c2']);
    writeRemoveComponent(client.doc, 'p2', 'c1');
    expect(codeOf(check(doc, Y.encodeStateAsUpdate(client.doc, before)))).toBe('OK');
  });

  test("a person's own client ids, bound or not, and structs the server already has under anyone's id", () => {
    const doc = server();
    const client = replica(doc);
    writePackName(client.doc, 'p1', 'Mine');
    expect(check(doc, client.last(), { owners: new Map([[client.doc.clientID, 'ann']]) })).toMatchObject({ ok: true, newClientIds: [] });
    Y.applyUpdate(doc, client.last());
    // Resent, and relayed by someone else (nothing new): not a forgery.
    expect(check(doc, client.last(), { personId: 'bob', owners: new Map([[client.doc.clientID, 'ann']]) })).toMatchObject({
      ok: true,
      newClientIds: [],
    });
  });
});

describe('what is refused before it touches the document', () => {
  test('an update whose predecessor (same client) never arrived: resync', () => {
    const doc = server();
    const client = replica(doc);
    writeNewPack(client.doc, pack('p2'));
    writePackName(client.doc, 'p2', 'Second');
    const verdict = check(doc, client.updates[1]!);
    expect(verdict).toMatchObject({ ok: false, code: 'MISSING_DEPENDENCIES', resync: true });
    expect(codeOf(check(doc, Y.mergeUpdates(client.updates)))).toBe('OK');
  });

  test("an origin in another client's future: resync", () => {
    const doc = server();
    const ghost = replica(doc, 4242);
    writePackName(ghost.doc, 'p1', 'Ghost');
    const client = replica(ghost.doc);
    writePackName(client.doc, 'p1', 'After the ghost');
    expect(check(doc, client.last())).toMatchObject({ ok: false, code: 'MISSING_DEPENDENCIES', resync: true });
    expect(codeOf(check(doc, Y.mergeUpdates([ghost.last(), client.last()])))).toBe('OK');
  });

  test.each<[string, (doc: Y.Doc) => [number, number, number][]]>([
    ["the server's future clocks", (d) => [[d.clientID, Y.getState(d.store, d.clientID), 1_000_000]]],
    ["another client's future clocks", () => [[777, 0, 10]]],
    ['a server-owned item', (d) => [[d.clientID, 1, 1]]],
  ])('a delete range over %s', (_what, ranges) => {
    const doc = server();
    expect(check(doc, deleteOnly(ranges(doc)))).toMatchObject({ ok: false, code: 'DELETE_REFUSED', resync: false });
  });

  test.each<[string, string, (doc: Y.Doc) => void]>([
    ['a write into a server-owned root', 'SERVER_OWNED', (d) => d.getMap('catalog').set('c9', { id: 'c9' })],
    ['a write into a root the schema does not define', 'UNKNOWN_DATA', (d) => d.getMap('evil').set('x', 1)],
    ['text in a root', 'UNKNOWN_DATA', (d) => d.getText('packs-text').insert(0, 'hello')],
    ['a list under packs', 'UNKNOWN_DATA', (d) => d.getArray('packs').push([1])],
    ['a Y.Text as a name', 'UNKNOWN_DATA', (d) => (packsMap(d).get('p1') as Y.Map<unknown>).set('name', new Y.Text('x'))],
    [
      'a map nested in a component entry',
      'UNKNOWN_DATA',
      (d) => (packsMap(d).get('p1') as Y.Map<Y.Map<unknown>>).get('components')!.set('c2', new Y.Map()),
    ],
    ['a plain value as a pack', 'PACK_MALFORMED', (d) => packsMap(d).set('p3', 'not a pack' as unknown as Y.Map<unknown>)],
    ["deleting a pack's map", 'DELETE_IS_A_COMMAND', (d) => packsMap(d).delete('p1')],
    ["replacing a pack's map", 'DELETE_IS_A_COMMAND', (d) => writeNewPack(d, pack('p1', { name: 'Fresh copy' }))],
    [
      "replacing a pack's components map",
      'COMPONENTS_REPLACED',
      (d) => (packsMap(d).get('p1') as Y.Map<unknown>).set('components', new Y.Map()),
    ],
    ["deleting a pack's components map", 'COMPONENTS_REPLACED', (d) => (packsMap(d).get('p1') as Y.Map<unknown>).delete('components')],
    ['a new pack with an empty id', 'PACK_ID_INVALID', (d) => writeNewPack(d, pack(''))],
    ['a new pack with a 301-character id', 'PACK_ID_INVALID', (d) => writeNewPack(d, pack('x'.repeat(301)))],
    [
      'a description over its byte cap',
      'DESCRIPTION_TOO_LARGE',
      (d) => writePackDescription(d, 'p1', `a${'\u0301'.repeat(200)}`.repeat(500)),
    ],
    ['a name over its byte cap', 'NAME_TOO_LARGE', (d) => writePackName(d, 'p1', `a${'\u0301'.repeat(59_999)}`)],
    ['a large unknown field', 'VALUE_TOO_LARGE', (d) => (packsMap(d).get('p1') as Y.Map<unknown>).set('junk', 'j'.repeat(5_000))],
    [
      'a large component value',
      'VALUE_TOO_LARGE',
      (d) => (packsMap(d).get('p1') as Y.Map<Y.Map<unknown>>).get('components')!.set('c2', ['v'.repeat(2_000)]),
    ],
  ])('%s → %s', (_what, code, edit) => {
    const doc = server();
    const client = replica(doc);
    edit(client.doc);
    expect(check(doc, client.last())).toMatchObject({ ok: false, code, resync: false });
  });

  test('a struct the server already has, naming a root the document does not have, is refused (applying it would create the root)', () => {
    const doc = server();
    const stray = replica(doc);
    stray.doc.getMap('evil').set('x', 1);
    // The server "has" the clocks (they were voided), so the struct is a duplicate; its root name still counts.
    Y.applyUpdate(doc, voidUpdate([[stray.doc.clientID, 0, 1]]));
    expect(check(doc, stray.last())).toMatchObject({ ok: false, code: 'UNKNOWN_DATA' });
    expect(doc.share.has('evil')).toBe(false);
  });

  test('writes next to a server-owned item, found through its origin, are writes outside packs', () => {
    const doc = server();
    const client = replica(doc);
    client.doc.getMap('catalog').set('c1', { id: 'c1', name: 'Hijacked', type: 'PROCESS', versions: [1] });
    const item = Y.decodeUpdate(client.last()).structs[0] as Y.Item;
    expect(item.origin).not.toBeNull(); // placed by its origin, not by naming the root
    expect(codeOf(check(doc, client.last()))).toBe('SERVER_OWNED');
  });

  test("structs under another person's client id, or the server's own, are refused", () => {
    const doc = server();
    const bob = replica(doc, 1001);
    writePackName(bob.doc, 'p1', 'Bob');
    expect(check(doc, bob.last(), { personId: 'ann', owners: new Map([[1001, 'bob']]) })).toMatchObject({
      ok: false,
      code: 'CLIENT_ID_TAKEN',
    });
    const forged = replica(doc, doc.clientID);
    writePackName(forged.doc, 'p1', 'As the server');
    expect(codeOf(check(doc, forged.last()))).toBe('CLIENT_ID_TAKEN');
  });

  test('an edit in a pack that was deleted meanwhile changes nothing and is accepted', () => {
    const doc = server();
    const offline = replica(doc);
    packsMap(doc).delete('p1'); // as DELETE_PACK does, on the server
    writePackName(offline.doc, 'p1', 'Edited offline');
    expect(codeOf(check(doc, offline.last()))).toBe('OK');
  });
});

test("a refused update's clocks, recorded as void, let the sender's next update through; nothing of it is in the document", () => {
  const doc = server();
  const client = replica(doc);
  client.doc.getMap('catalog').set('c9', { id: 'c9', name: 'Forged' });
  writeNewPack(client.doc, pack('p2'));
  const refused = check(doc, client.updates[0]!);
  expect(refused).toMatchObject({ ok: false, code: 'SERVER_OWNED', voids: [[client.doc.clientID, 0, 1]] });
  expect(codeOf(check(doc, client.updates[1]!))).toBe('MISSING_DEPENDENCIES');
  if (refused.ok || !refused.voids) throw new Error('refused with voids');
  Y.applyUpdate(doc, voidUpdate(refused.voids));
  expect(doc.getMap('catalog').has('c9')).toBe(false);
  expect(Y.getState(doc.store, client.doc.clientID)).toBe(1);
  expect(codeOf(check(doc, client.updates[1]!))).toBe('OK');
  expect(doc.store.pendingStructs).toBeNull();
});

describe('updates Yjs itself would choke on are malformed frames', () => {
  test('a client block that appears twice', () => {
    const doc = server();
    const client = replica(doc, 55);
    writeNewPack(client.doc, pack('p2'));
    writePackName(client.doc, 'p2', 'Second');
    // Two blocks of client 55: the header says two, Yjs would read only the second one.
    const encoder = encoding.createEncoder();
    const [a, b] = client.updates.map((u) => u.subarray(1, u.length - 1)); // drop the block count (1) and the empty delete set (0)
    encoding.writeVarUint(encoder, 2);
    encoding.writeUint8Array(encoder, a!);
    encoding.writeUint8Array(encoder, b!);
    encoding.writeVarUint(encoder, 0);
    const update = encoding.toUint8Array(encoder);
    expect(() => check(doc, update)).toThrow(MalformedUpdate);
  });
});
