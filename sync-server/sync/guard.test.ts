import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { packsMap, readPack, readPacks, writeAccount, writeComponent, writeNewPack, type IntegrationPack } from '../../shared/index.ts';
import { YMapView } from '../../shared/schema.ts';
import {
  defineRoots,
  enforcePacks,
  ownedKeyChanges,
  revertOutsidePacks,
  touchedParts,
  type OwnedKeyChange,
  type TouchedParts,
} from './guard.ts';

const SERVER = { server: true };
const CLIENT = { client: true };
const pack = (id: string, installationType: 'SINGLE' | 'MULTI' = 'SINGLE'): IntegrationPack => ({
  id,
  name: `Pack ${id}`,
  description: '',
  installationType,
  componentIds: [],
  createdAt: 'x',
  createdBy: 'y',
});

/** A server-side doc that records what client transactions touched, like the room does. */
function serverDoc() {
  const doc = new Y.Doc();
  defineRoots(doc);
  writeAccount(doc, { id: 'demo', name: 'Demo', multiInstallEnabled: true, timeZone: 'UTC' }, SERVER);
  writeComponent(doc, { id: 'api', name: 'Lookup API', type: 'API_SERVICE', versions: [1] }, SERVER);
  writeNewPack(doc, pack('p1', 'MULTI'), SERVER);
  const touched: TouchedParts[] = [];
  const owned: OwnedKeyChange[] = [];
  doc.getMap('catalog').observe((event) => event.transaction.origin === CLIENT && owned.push(...ownedKeyChanges('catalog', event)));
  doc.on('afterTransaction', (tr: Y.Transaction) => tr.origin === CLIENT && touched.push(touchedParts(doc, tr)));
  const lastValid = new Map(readPacks(doc).map((p) => [p.id, p]));
  return { doc, touched, owned, lastValid };
}

/** Applies what a client did in its own replica to the server doc, as the client's origin. */
function fromClient(server: Y.Doc, edit: (doc: Y.Doc) => void) {
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  const before = Y.encodeStateVector(client);
  edit(client);
  Y.applyUpdate(server, Y.encodeStateAsUpdate(client, before), CLIENT);
}

test('touchedParts names the packs a transaction changed, at any depth', () => {
  const { doc, touched } = serverDoc();
  fromClient(doc, (c) => {
    (packsMap(c).get('p1') as Y.Map<Y.Map<true>>).get('components')!.set('api', true);
    writeNewPack(c, pack('p2'));
    c.getMap('elsewhere').set('k', 1);
  });
  expect([...touched[0]!.packIds].sort()).toEqual(['p1', 'p2']);
  expect([...touched[0]!.strayRoots.keys()]).toEqual(['elsewhere']);
});

test('enforcePacks keeps valid changes, repairs violations with the server origin, and updates lastValid', () => {
  const { doc, touched, lastValid } = serverDoc();
  const origins: unknown[] = [];
  doc.on('afterTransaction', (tr: Y.Transaction) => origins.push(tr.origin));
  fromClient(doc, (c) => {
    (packsMap(c).get('p1') as Y.Map<Y.Map<true>>).get('components')!.set('api', true);
    (packsMap(c).get('p1') as Y.Map<unknown>).set('name', 'Renamed');
  });
  const notices = enforcePacks(doc, touched[0]!.packIds, lastValid, SERVER);
  expect(notices.map((n) => n.code)).toEqual(['API_SERVICE_IN_MULTI']);
  expect(readPack(doc, 'p1')).toMatchObject({ name: 'Renamed', componentIds: [] });
  expect(lastValid.get('p1')?.name).toBe('Renamed');
  expect(origins.at(-1)).toBe(SERVER);
});

test('revertOutsidePacks restores old values, removes added keys and empties unknown roots', () => {
  const { doc, owned, touched } = serverDoc();
  fromClient(doc, (c) => {
    c.getMap('catalog').set('api', { id: 'api', name: 'Changed', type: 'PROCESS', versions: [9] });
    c.getMap('catalog').set('new', 1);
    c.getMap('elsewhere').set('k', 1);
  });
  const notices = revertOutsidePacks(doc, owned, touched[0]!.strayRoots, SERVER);
  expect(doc.getMap('catalog').toJSON()).toEqual({ api: { id: 'api', name: 'Lookup API', type: 'API_SERVICE', versions: [1] } });
  expect(doc.getMap('elsewhere').size).toBe(0);
  expect(notices.map((n) => n.code)).toEqual(['SERVER_OWNED', 'UNKNOWN_DATA']);
});

test('YMapView reads a Y.Map as a ReadonlyMap without copying', () => {
  const doc = new Y.Doc();
  const map = doc.getMap<number>('m');
  map.set('a', 1);
  const view = new YMapView(map);
  map.set('b', 2);
  expect(view.size).toBe(2);
  expect(view.get('b')).toBe(2);
  expect([...view].sort()).toEqual([
    ['a', 1],
    ['b', 2],
  ]);
  expect(new Map(view.entries()).get('a')).toBe(1);
});
