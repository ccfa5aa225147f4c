/**
 * No client can break the rules. A value that breaks a rule is repaired on every replica (the sender,
 * a stock client and the server's document) and reported to the sender with a notice saying what and
 * why. An update that writes outside `packs` or deletes a pack directly is refused before it is
 * applied: nothing of it reaches the server or anyone else, and the sender is told. The viewer's
 * edits are refused; the viewer still receives everyone else's.
 */
import { afterEach, beforeEach, expect, test } from 'vitest';
import * as Y from 'yjs';
import {
  packsMap,
  readPack,
  writeAddComponents,
  writeNewPack,
  writePackDescription,
  writePackName,
  type IntegrationPack,
} from '../../shared/index.ts';
import { connectClient, docJson, sameState, startTestServer, synced, waitFor, type TestClient, type TestServer } from './helpers.ts';

let t: TestServer;
let clients: TestClient[] = [];
let sender: TestClient;
let other: TestClient;

const pack = (id: string, installationType: 'SINGLE' | 'MULTI' = 'SINGLE'): IntegrationPack => ({
  id,
  name: `Pack ${id}`,
  description: 'First description',
  installationType,
  componentIds: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  createdBy: 'ann',
});

beforeEach(async () => {
  t = await startTestServer();
  await t.server.rooms.mutate('demo', (doc, origin, records) => {
    records.putComponent({ id: 'proc', name: 'Salesforce Account Sync', type: 'PROCESS', versions: [1] });
    records.putComponent({ id: 'api', name: 'Customer Lookup API', type: 'API_SERVICE', versions: [1, 2] });
    writeNewPack(doc, pack('single'), origin);
    writeNewPack(doc, pack('multi', 'MULTI'), origin);
  });
  sender = connectClient({ wsUrl: t.wsUrl, accountId: 'demo', token: t.tokens.admin, proto: true });
  other = connectClient({ wsUrl: t.wsUrl, accountId: 'demo', token: t.tokens.admin2 });
  clients = [sender, other];
  await Promise.all([synced(sender), synced(other)]);
});
afterEach(async () => {
  for (const client of clients) client.destroy();
  await t.close();
});

const serverDoc = () => t.server.rooms.read('demo', (doc) => Y.encodeStateAsUpdate(doc));
async function everyoneAgrees(what: string, check: (doc: Y.Doc) => boolean): Promise<void> {
  await waitFor(clients, () => sameState(sender.doc, other.doc) && check(sender.doc) && check(other.doc), what);
  const server = new Y.Doc();
  Y.applyUpdate(server, await serverDoc());
  expect(check(server)).toBe(true);
  expect(docJson(server)).toEqual(docJson(sender.doc));
}
const noticeCodes = () => sender.notices.map((notice) => notice.code);
const waitForNotice = (code: string) => waitFor([sender], () => noticeCodes().includes(code), `a ${code} notice`);

test('a changed installation type is restored everywhere and reported', async () => {
  sender.doc.transact(() => (packsMap(sender.doc).get('single') as Y.Map<unknown>).set('installationType', 'MULTI'));
  await waitForNotice('TYPE_FIXED');
  await everyoneAgrees('type restored', (doc) => readPack(doc, 'single')?.installationType === 'SINGLE');
  expect(sender.notices[0]).toMatchObject({ level: 'error', packId: 'single', message: expect.stringContaining('cannot be changed') });
});

test('a description over 500 characters is restored to the last valid one; a valid edit in the same update is kept', async () => {
  sender.doc.transact(() => {
    writePackName(sender.doc, 'single', 'Renamed Pack');
    writePackDescription(sender.doc, 'single', 'é'.repeat(501));
  });
  await waitForNotice('DESCRIPTION_TOO_LONG');
  await everyoneAgrees(
    'description restored',
    (doc) => readPack(doc, 'single')?.description === 'First description' && readPack(doc, 'single')?.name === 'Renamed Pack',
  );
  expect(sender.notices.find((n) => n.code === 'DESCRIPTION_TOO_LONG')?.message).toContain('500');
});

test('a description of exactly 500 characters (counted as graphemes) is accepted', async () => {
  const text = '👍🏽'.repeat(500);
  writePackDescription(sender.doc, 'single', text);
  await everyoneAgrees('description kept', (doc) => readPack(doc, 'single')?.description === text);
  expect(sender.notices).toEqual([]);
});

test('an API Service component added to a Multiple Attachments pack is removed everywhere and reported', async () => {
  writeAddComponents(sender.doc, 'multi', ['api', 'proc']);
  await waitForNotice('API_SERVICE_IN_MULTI');
  await everyoneAgrees('api removed, process kept', (doc) => JSON.stringify(readPack(doc, 'multi')?.componentIds) === '["proc"]');
  expect(sender.notices.find((n) => n.code === 'API_SERVICE_IN_MULTI')?.message).toContain('Customer Lookup API');
});

/** The server and the other client agree and never saw the refused update; the sender was told. */
async function refusedEverywhereElse(what: string, check: (doc: Y.Doc) => boolean): Promise<void> {
  writePackName(other.doc, 'multi', `${what} (after)`);
  await waitFor([sender, other], () => readPack(sender.doc, 'multi')?.name === `${what} (after)`, `${what}: the sender still syncs`);
  const server = new Y.Doc();
  Y.applyUpdate(server, await serverDoc());
  expect(check(server), `${what}: the server`).toBe(true);
  expect(check(other.doc), `${what}: the other client`).toBe(true);
  expect(docJson(server)).toEqual(docJson(other.doc));
}

test('writes into server-owned roots are refused whole: the sender is told, nobody else sees them', async () => {
  sender.doc.transact(() => {
    sender.doc.getMap('catalog').set('api', { id: 'api', name: 'Hijacked', type: 'PROCESS', versions: [1] });
    sender.doc.getMap('catalog').set('forged', { id: 'forged', name: 'Forged', type: 'PROCESS', versions: [1] });
    sender.doc.getMap('account').delete('settings');
  });
  await waitForNotice('SERVER_OWNED');
  expect(sender.notices.find((n) => n.code === 'SERVER_OWNED')?.message).toMatch(/not saved.*only the server/);
  await refusedEverywhereElse('server-owned roots unchanged', (doc) => {
    const catalog = doc.getMap<{ name: string }>('catalog');
    return catalog.get('api')?.name === 'Customer Lookup API' && !catalog.has('forged') && doc.getMap('account').has('settings');
  });
});

test('a root the schema does not define is refused, and so is a list under packs', async () => {
  sender.doc.getMap('evil').set('x', 'payload');
  await waitForNotice('UNKNOWN_DATA');
  sender.doc.getArray('packs-as-array').push(['y']);
  await waitFor([sender], () => noticeCodes().filter((c) => c === 'UNKNOWN_DATA').length >= 2, 'UNKNOWN_DATA notices');
  await refusedEverywhereElse('unknown roots refused', (doc) => !doc.share.has('evil') && !doc.share.has('packs-as-array'));
});

test('a client deleting a pack key is refused and told to use Delete Integration Pack; the pack stays for everyone else', async () => {
  packsMap(sender.doc).delete('single');
  await waitForNotice('DELETE_IS_A_COMMAND');
  await refusedEverywhereElse('pack kept', (doc) => readPack(doc, 'single')?.name === 'Pack single');
});

test('a new pack that breaks a rule is not added; a valid new pack is', async () => {
  writeNewPack(sender.doc, { ...pack('bad'), name: '   ' });
  writeNewPack(sender.doc, pack('good'));
  await waitForNotice('NAME_REQUIRED');
  await everyoneAgrees('bad dropped, good kept', (doc) => !packsMap(doc).has('bad') && readPack(doc, 'good')?.name === 'Pack good');
});

test("a viewer cannot write (notice, nothing stored or sent) but receives everyone else's edits", async () => {
  const viewer = connectClient({ wsUrl: t.wsUrl, accountId: 'demo', token: t.tokens.viewer, proto: true });
  clients.push(viewer);
  await synced(viewer);
  writePackName(viewer.doc, 'single', 'Viewer Was Here');
  await waitFor([viewer], () => viewer.notices.some((n) => n.code === 'READ_ONLY'), 'READ_ONLY notice');
  writePackName(sender.doc, 'multi', 'Renamed By Admin');
  await waitFor(
    [viewer, other],
    () => readPack(viewer.doc, 'multi')?.name === 'Renamed By Admin' && readPack(other.doc, 'multi')?.name === 'Renamed By Admin',
    'viewer receives',
  );
  expect(readPack(other.doc, 'single')?.name).toBe('Pack single');
  const server = new Y.Doc();
  Y.applyUpdate(server, await serverDoc());
  expect(readPack(server, 'single')?.name).toBe('Pack single');
});
