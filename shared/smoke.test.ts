import { expect, test } from 'vitest';
import * as Y from 'yjs';
import { derivePublications, readPacks, writeNewPack } from './index.ts';

test('a pack written into a doc reads back', () => {
  const doc = new Y.Doc();
  writeNewPack(doc, { id: 'p1', name: 'Orders', description: '', installationType: 'SINGLE', componentIds: ['c1'], createdAt: 'x', createdBy: 'y' });
  expect(readPacks(doc).map((p) => p.name)).toEqual(['Orders']);
  expect(derivePublications({ componentIds: ['c1'], currentRelease: undefined, catalog: new Map() })[0]?.pendingVersion).toBeUndefined();
});
