/** CREATE_PACK and UPDATE_PACK: the reconcile rules of a page's edit, all or nothing, admins only. */
import { expect, test } from 'vitest';
import { readPack } from '../../shared/schema.ts';
import { packIdFor } from './create-pack.ts';
import { admin, managedUser, run, seedAccount, viewer } from './testing.ts';

const now = new Date('2025-03-10T12:00:00Z');

test('CREATE_PACK adds a pack with an id from the key, trimmed name, checked components; audited', () => {
  const doc = seedAccount({
    packs: [],
    components: [
      { id: 'c1', versions: [1] },
      { id: 'api', type: 'API_SERVICE', versions: [1] },
    ],
  });
  const created = run(
    doc,
    admin,
    now,
    { type: 'CREATE_PACK', name: '  Orders ', installationType: 'SINGLE', componentIds: ['c1', 'api', 'c1'] },
    'create-orders-1',
  );
  expect(created).toMatchObject({ status: 'SUCCESS', message: 'Orders was added.' });
  const id = packIdFor('create-orders-1');
  expect(id).toMatch(/^[A-Za-z0-9_-]{21}$/);
  expect(readPack(doc.doc, id)).toEqual({
    id,
    name: 'Orders',
    description: '',
    installationType: 'SINGLE',
    componentIds: ['api', 'c1'],
    createdAt: now.toISOString(),
    createdBy: 'Ada Admin',
  });
  expect(doc.history.at(-1)).toMatchObject({ kind: 'CREATE_PACK', packId: id, status: 'SUCCESS' });
});

test('CREATE_PACK refuses the whole pack for any rule a page edit would break, and roles other than admin', () => {
  const doc = seedAccount({ packs: [], components: [{ id: 'api', type: 'API_SERVICE', versions: [1] }] });
  const refusedWith = (command: Parameters<typeof run>[3], actor = admin) => {
    const result = run(doc, actor, now, command);
    expect(result.status).toBe('ERROR');
    return result.code;
  };
  expect(refusedWith({ type: 'CREATE_PACK', name: ' ', installationType: 'SINGLE' })).toBe('NAME_REQUIRED');
  expect(refusedWith({ type: 'CREATE_PACK', name: 'X', description: 'd'.repeat(501), installationType: 'SINGLE' })).toBe(
    'DESCRIPTION_TOO_LONG',
  );
  expect(refusedWith({ type: 'CREATE_PACK', name: 'X', installationType: 'MULTI', componentIds: ['api'] })).toBe('API_SERVICE_IN_MULTI');
  expect(refusedWith({ type: 'CREATE_PACK', name: 'X', installationType: 'SINGLE', componentIds: ['nope'] })).toBe('COMPONENT_UNKNOWN');
  expect(refusedWith({ type: 'CREATE_PACK', name: 'X', installationType: 'SINGLE' }, viewer)).toBe('FORBIDDEN');
  expect(refusedWith({ type: 'CREATE_PACK', name: 'X', installationType: 'SINGLE' }, managedUser('acme'))).toBe('FORBIDDEN');
  expect(doc.doc.getMap('packs').size).toBe(0);
});

test('UPDATE_PACK changes what it names, replaces the component list, keeps the type', () => {
  const doc = seedAccount({ packs: [{ id: 'orders', name: 'Orders', componentIds: ['c1'] }] });
  const updated = run(doc, admin, now, { type: 'UPDATE_PACK', packId: 'orders', description: 'All orders', componentIds: ['c2'] });
  expect(updated.status).toBe('SUCCESS');
  expect(readPack(doc.doc, 'orders')).toMatchObject({ name: 'Orders', description: 'All orders', componentIds: ['c2'] });
  expect(run(doc, admin, now, { type: 'UPDATE_PACK', packId: 'orders', installationType: 'MULTI' }).code).toBe('TYPE_FIXED');
  expect(run(doc, admin, now, { type: 'UPDATE_PACK', packId: 'orders', name: '' }).code).toBe('NAME_REQUIRED');
  expect(run(doc, admin, now, { type: 'UPDATE_PACK', packId: 'nope', name: 'Y' }).code).toBe('PACK_NOT_FOUND');
  expect(readPack(doc.doc, 'orders')).toMatchObject({ name: 'Orders', installationType: 'SINGLE', componentIds: ['c2'] });
});
