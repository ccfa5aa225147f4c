/** One table per rule of the page spec and the platform notes; each row is a sentence's case. */
import { describe, expect, test } from 'vitest';
import { fc } from '../test/support/fast-check.ts';
import { limits } from './limits.ts';
import type { IntegrationPack, PackInstance, PublishedComponent } from './model.ts';
import type { Result } from './result.ts';
import {
  allowedInstallationTypes,
  latestVersion,
  nextVersionNumber,
  showsInstallationTypeList,
  validateComponentForPack,
  validateDescription,
  validateInstall,
  validateInstallationType,
  validateName,
  validatePack,
  validatePackComponents,
  validatePackId,
  validateTypeUnchanged,
} from './rules.ts';
import { graphemeCount } from './text.ts';

const codeOf = (result: Result<unknown>) => (result.ok ? 'OK' : result.error.code);
const FAMILY = '👨‍👩‍👧‍👦';
/** The longest emoji sequences: a kiss with two skin tones (35 bytes), a subdivision flag (28 bytes). */
const KISS = '👩🏽‍❤️‍💋‍👨🏿';
const SCOTLAND = '🏴󠁧󠁢󠁳󠁣󠁴󠁿';

function expectReadableError(result: Result<unknown>, field?: string) {
  expect(result.ok).toBe(false);
  if (result.ok) return;
  expect(result.error.message).toMatch(/^[A-Z].*\.$/s);
  if (field) expect(result.error.field).toBe(field);
}

describe('Integration Pack Name: required, trimmed, at most 100 characters (our documented choice)', () => {
  test('the maximum is 100', () => expect(limits.nameMaxLength).toBe(100));

  test.each([
    { why: 'a plain name', name: 'Orders', code: 'OK', value: 'Orders' },
    { why: 'surrounding spaces are trimmed', name: '  Orders  ', code: 'OK', value: 'Orders' },
    { why: 'tabs and newlines are trimmed', name: '\tOrders\n', code: 'OK', value: 'Orders' },
    { why: 'inner spaces are kept', name: 'Order  Sync', code: 'OK', value: 'Order  Sync' },
    { why: 'empty is refused', name: '', code: 'NAME_REQUIRED' },
    { why: 'only spaces is refused', name: '   ', code: 'NAME_REQUIRED' },
    { why: 'only whitespace is refused', name: '\t\n\u00a0', code: 'NAME_REQUIRED' },
    { why: '100 characters fit', name: 'n'.repeat(100), code: 'OK', value: 'n'.repeat(100) },
    { why: '101 characters do not', name: 'n'.repeat(101), code: 'NAME_TOO_LONG' },
    { why: '100 characters plus spaces fit (counted after trimming)', name: ` ${'n'.repeat(100)} `, code: 'OK', value: 'n'.repeat(100) },
    { why: '100 emoji fit (an emoji is one character)', name: '🚀'.repeat(100), code: 'OK', value: '🚀'.repeat(100) },
    { why: '101 emoji do not', name: '🚀'.repeat(101), code: 'NAME_TOO_LONG' },
    { why: '100 family emoji fit', name: FAMILY.repeat(100), code: 'OK', value: FAMILY.repeat(100) },
    { why: 'only zero-width spaces is refused', name: '\u200B\u200B', code: 'NAME_REQUIRED' },
    { why: 'only a Braille blank is refused', name: '\u2800', code: 'NAME_REQUIRED' },
    { why: 'only Hangul fillers is refused', name: '\u3164\u115F\u1160\uFFA0', code: 'NAME_REQUIRED' },
    { why: 'only joiners, a soft hyphen and a byte order mark is refused', name: '\u200D\u2060\u00AD\uFEFF', code: 'NAME_REQUIRED' },
    { why: 'only combining marks (no letter under them) is refused', name: '\u0301\u0302', code: 'NAME_REQUIRED' },
    { why: 'only ideographic and narrow no-break spaces is refused', name: '\u3000\u202F', code: 'NAME_REQUIRED' },
    { why: 'a visible character among invisible ones is a name', name: '\u200BA\u200B', code: 'OK', value: '\u200BA\u200B' },
    {
      why: 'one letter under 20 combining marks fits (62 bytes)',
      name: `a${'\u0301'.repeat(30)}`,
      code: 'OK',
      value: `a${'\u0301'.repeat(30)}`,
    },
    {
      why: 'one letter under 40 combining marks is refused (one character of 81 bytes)',
      name: `a${'\u0301'.repeat(40)}`,
      code: 'NAME_INVALID_CHARACTERS',
    },
    { why: 'a 60,000-unit cluster is refused by its size', name: `a${'\u0301'.repeat(59_999)}`, code: 'NAME_TOO_LARGE' },
    { why: 'more than 4,000 bytes is refused before counting', name: '😀'.repeat(1_001), code: 'NAME_TOO_LARGE' },
    { why: 'not text: undefined', name: undefined, code: 'NAME_INVALID' },
    { why: 'not text: a number', name: 42, code: 'NAME_INVALID' },
    { why: 'not text: null', name: null, code: 'NAME_INVALID' },
  ])('$why → $code', ({ name, code, value }) => {
    const result = validateName(name);
    expect(codeOf(result)).toBe(code);
    if (result.ok) expect(result.value).toBe(value);
    else expectReadableError(result, 'name');
  });

  test('any valid name comes back trimmed, within the limit, and validates to itself', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 120 }), (name) => {
        const result = validateName(name);
        if (!result.ok) return true;
        const again = validateName(result.value);
        return result.value === result.value.trim() && result.value !== '' && again.ok && again.value === result.value;
      }),
    );
  });
});

describe('Ordinary text never meets a byte cap', () => {
  test.each([
    ['a kiss with two skin tones', KISS, 35],
    ['a subdivision flag', SCOTLAND, 28],
    ['a family', FAMILY, 25],
    ['a flag', '🇯🇵', 8],
    ['a Devanagari conjunct', 'क्षि', 12],
    ['a Tibetan stack', 'རྒྱ', 9],
  ])('%s (%s) is one character of %i bytes, under the per-character cap', (_what, text, bytes) => {
    expect(graphemeCount(text)).toBe(1);
    expect(new TextEncoder().encode(text).byteLength).toBe(bytes);
    expect(bytes).toBeLessThanOrEqual(limits.graphemeMaxBytes);
  });

  const ordinary = fc.constantFrom('a', 'é', 'e\u0301', 'ß', '漢', 'か', '한', 'ش', 'क्षि', '😀', '👍🏽', '🇩🇪', FAMILY, KISS, SCOTLAND, ' ');
  test('any name of up to 100 ordinary characters and description of up to 500 pass', () => {
    fc.assert(
      fc.property(
        fc.array(ordinary, { minLength: 1, maxLength: limits.nameMaxLength }).map((units) => `N${units.join('')}`.slice(0, -1) || 'N'),
        fc.array(ordinary, { maxLength: limits.descriptionMaxLength }).map((units) => units.join('')),
        (name, description) => {
          const trimmed = name.trim();
          if (graphemeCount(trimmed) > limits.nameMaxLength) return true;
          return validateName(name).ok && validateDescription(description).ok;
        },
      ),
    );
  });
});

describe('Pack ids: one rule for new packs in the document and for commands', () => {
  test.each([
    { id: 'p1', ok: true },
    { id: 'V1StGXR8_Z5jdHi6B-myT', ok: true, why: 'a nanoid' },
    { id: 'demo-p01', ok: true },
    { id: 'a.b', ok: true },
    { id: 'x'.repeat(100), ok: true },
    { id: 'x'.repeat(101), ok: false },
    { id: '', ok: false },
    { id: '.', ok: false },
    { id: '..', ok: false },
    { id: 'a/b', ok: false },
    { id: 'a b', ok: false },
    { id: 'ü', ok: false },
    { id: 7, ok: false },
  ])('$id → $ok', ({ id, ok }) => {
    const result = validatePackId(id);
    expect(result.ok).toBe(ok);
    if (!result.ok) {
      expect(result.error.code).toBe('PACK_ID_INVALID');
      expectReadableError(result);
    }
  });
});

describe('Description: "can contain up to 500 characters", counted as a person counts them', () => {
  test('the maximum is 500', () => expect(limits.descriptionMaxLength).toBe(500));

  test.each([
    { why: 'empty is fine (the description is optional)', description: '', code: 'OK' },
    { why: '500 letters fit', description: 'd'.repeat(500), code: 'OK' },
    { why: '501 letters do not', description: 'd'.repeat(501), code: 'DESCRIPTION_TOO_LONG' },
    { why: '500 emoji fit although they are 1000 UTF-16 units', description: '😀'.repeat(500), code: 'OK' },
    { why: '501 emoji do not', description: '😀'.repeat(501), code: 'DESCRIPTION_TOO_LONG' },
    { why: '500 family emoji fit (5500 UTF-16 units)', description: FAMILY.repeat(500), code: 'OK' },
    { why: '500 flags fit', description: '🇫🇷'.repeat(500), code: 'OK' },
    { why: '500 letters with combining accents fit', description: 'e\u0301'.repeat(500), code: 'OK' },
    { why: '499 letters and one emoji fit', description: `${'d'.repeat(499)}😀`, code: 'OK' },
    { why: '500 letters and one emoji do not', description: `${'d'.repeat(500)}😀`, code: 'DESCRIPTION_TOO_LONG' },
    { why: '250 CR LF line breaks are 250 characters', description: '\r\n'.repeat(250), code: 'OK' },
    { why: '500 of the longest emoji fit (17,500 bytes)', description: KISS.repeat(500), code: 'OK' },
    {
      why: '500 letters under 200 combining marks (200 KB) are too large',
      description: `a${'\u0301'.repeat(200)}`.repeat(500),
      code: 'DESCRIPTION_TOO_LARGE',
    },
    { why: 'one character of 81 bytes is refused', description: `ok a${'\u0301'.repeat(40)}`, code: 'DESCRIPTION_INVALID_CHARACTERS' },
    { why: 'not text', description: 7, code: 'DESCRIPTION_INVALID' },
    { why: 'not text: undefined', description: undefined, code: 'DESCRIPTION_INVALID' },
  ])('$why → $code', ({ description, code }) => {
    const result = validateDescription(description);
    expect(codeOf(result)).toBe(code);
    if (result.ok) expect(result.value).toBe(description);
    else expectReadableError(result, 'description');
  });

  test('the message says how many characters the description has', () => {
    const result = validateDescription('😀'.repeat(503));
    expect(!result.ok && result.error.message).toContain('503');
  });

  test('a description is kept as written (not trimmed)', () => {
    expect(validateDescription('  spaced  ')).toEqual({ ok: true, value: '  spaced  ' });
  });
});

describe('Integration Pack Type list: present only with the multi-install feature, else only Single Attachment', () => {
  test.each([
    { multiInstallEnabled: true, types: ['SINGLE', 'MULTI'], shown: true },
    { multiInstallEnabled: false, types: ['SINGLE'], shown: false },
  ])('feature $multiInstallEnabled → $types', ({ multiInstallEnabled, types, shown }) => {
    expect(allowedInstallationTypes({ multiInstallEnabled })).toEqual(types);
    expect(showsInstallationTypeList({ multiInstallEnabled })).toBe(shown);
  });

  test.each([
    { type: 'SINGLE', multiInstallEnabled: false, code: 'OK' },
    { type: 'SINGLE', multiInstallEnabled: true, code: 'OK' },
    { type: 'MULTI', multiInstallEnabled: true, code: 'OK' },
    { type: 'MULTI', multiInstallEnabled: false, code: 'MULTI_INSTALL_DISABLED' },
    { type: 'Single Attachment', multiInstallEnabled: true, code: 'TYPE_INVALID' },
    { type: 'single', multiInstallEnabled: true, code: 'TYPE_INVALID' },
    { type: undefined, multiInstallEnabled: true, code: 'TYPE_INVALID' },
    { type: 1, multiInstallEnabled: true, code: 'TYPE_INVALID' },
  ])('adding a $type pack with the feature $multiInstallEnabled → $code', ({ type, multiInstallEnabled, code }) => {
    const result = validateInstallationType(type, { multiInstallEnabled });
    expect(codeOf(result)).toBe(code);
    if (!result.ok) expectReadableError(result, 'installationType');
  });
});

describe('"You cannot change the type once the integration pack is added."', () => {
  test.each([
    { before: 'SINGLE', after: 'SINGLE', code: 'OK' },
    { before: 'MULTI', after: 'MULTI', code: 'OK' },
    { before: 'SINGLE', after: 'MULTI', code: 'TYPE_FIXED' },
    { before: 'MULTI', after: 'SINGLE', code: 'TYPE_FIXED' },
    { before: 'MULTI', after: undefined, code: 'TYPE_FIXED' },
    { before: 'SINGLE', after: 'single', code: 'TYPE_FIXED' },
  ] as const)('$before → $after: $code', ({ before, after, code }) => {
    const result = validateTypeUnchanged(before, after);
    expect(codeOf(result)).toBe(code);
    if (!result.ok) expectReadableError(result, 'installationType');
  });
});

const processComponent = (id: string, name = id): PublishedComponent => ({ id, name, type: 'PROCESS', versions: [1] });
const apiService = (id: string, name = id): PublishedComponent => ({ id, name, type: 'API_SERVICE', versions: [1] });

describe('"Multi-install integration packs cannot include API Service components."', () => {
  test.each([
    { type: 'MULTI', component: apiService('a', 'Customer API'), code: 'API_SERVICE_IN_MULTI' },
    { type: 'MULTI', component: processComponent('p'), code: 'OK' },
    { type: 'SINGLE', component: apiService('a'), code: 'OK' },
    { type: 'SINGLE', component: processComponent('p'), code: 'OK' },
    { type: 'SINGLE', component: undefined, code: 'COMPONENT_UNKNOWN' },
    { type: 'MULTI', component: undefined, code: 'COMPONENT_UNKNOWN' },
  ] as const)('$type pack, $component.type component → $code', ({ type, component, code }) => {
    const result = validateComponentForPack(type, component);
    expect(codeOf(result)).toBe(code);
    if (!result.ok) expectReadableError(result, 'components');
  });

  test('the message names the API Service component', () => {
    const result = validateComponentForPack('MULTI', apiService('a', 'Customer API'));
    expect(!result.ok && result.error.message).toContain('Customer API');
  });
});

describe('"A pack holds at most 100 components."', () => {
  const catalog = new Map<string, PublishedComponent>();
  for (let index = 0; index < 120; index++) catalog.set(`p${index}`, processComponent(`p${index}`));
  catalog.set('api', apiService('api'));
  const first = (count: number) => [...catalog.keys()].filter((id) => id !== 'api').slice(0, count);

  test('the limit is 100', () => expect(limits.componentsPerPack).toBe(100));

  test.each([
    { why: 'no components', type: 'SINGLE', ids: [], code: 'OK' },
    { why: '100 components', type: 'SINGLE', ids: first(100), code: 'OK' },
    { why: '101 components', type: 'SINGLE', ids: first(101), code: 'TOO_MANY_COMPONENTS' },
    { why: '100 components, one listed twice', type: 'SINGLE', ids: [...first(100), 'p0'], code: 'OK' },
    { why: 'an API Service in a Single Attachment pack', type: 'SINGLE', ids: ['p1', 'api'], code: 'OK' },
    { why: 'an API Service in a Multiple Attachments pack', type: 'MULTI', ids: ['p1', 'api'], code: 'API_SERVICE_IN_MULTI' },
    { why: 'an unpublished component', type: 'SINGLE', ids: ['p1', 'nope'], code: 'COMPONENT_UNKNOWN' },
  ] as const)('$why → $code', ({ type, ids, code }) => {
    const result = validatePackComponents(type, ids, catalog);
    expect(codeOf(result)).toBe(code);
    if (!result.ok) expectReadableError(result, 'components');
  });
});

describe('validatePack: a whole pack passes only if every rule does', () => {
  const catalog = new Map([
    ['p', processComponent('p')],
    ['a', apiService('a')],
  ]);
  const valid = { name: 'Orders', description: '', installationType: 'SINGLE' as const, componentIds: ['p', 'a'] };
  const on = { multiInstallEnabled: true };

  test.each([
    { why: 'a valid pack', pack: valid, account: on, code: 'OK' },
    { why: 'no name', pack: { ...valid, name: ' ' }, account: on, code: 'NAME_REQUIRED' },
    { why: 'a long description', pack: { ...valid, description: 'x'.repeat(501) }, account: on, code: 'DESCRIPTION_TOO_LONG' },
    {
      why: 'MULTI without the feature',
      pack: { ...valid, installationType: 'MULTI' as const, componentIds: ['p'] },
      account: { multiInstallEnabled: false },
      code: 'MULTI_INSTALL_DISABLED',
    },
    { why: 'MULTI with an API Service', pack: { ...valid, installationType: 'MULTI' as const }, account: on, code: 'API_SERVICE_IN_MULTI' },
    { why: 'the name is checked first', pack: { ...valid, name: '', description: 'x'.repeat(501) }, account: on, code: 'NAME_REQUIRED' },
  ])('$why → $code', ({ pack, account, code }) => {
    expect(codeOf(validatePack(pack, account, catalog))).toBe(code);
  });
});

describe('Published versions are whole numbers; each publish adds the next number', () => {
  test.each([
    { versions: [], next: 1, latest: undefined },
    { versions: [1], next: 2, latest: 1 },
    { versions: [1, 2, 3], next: 4, latest: 3 },
    { versions: [3, 1, 2], next: 4, latest: 3 },
  ])('versions $versions → next $next, latest $latest', ({ versions, next, latest }) => {
    expect(nextVersionNumber({ versions })).toBe(next);
    expect(latestVersion({ versions })).toBe(latest);
  });

  test('publishing n times from nothing gives exactly 1, 2, …, n', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), (publishes) => {
        const versions: number[] = [];
        for (let index = 0; index < publishes; index++) versions.push(nextVersionNumber({ versions }));
        return versions.every((version, index) => Number.isInteger(version) && version === index + 1);
      }),
    );
  });

  test('the next number is a whole number above every published one', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 10_000 })), (versions) => {
        const next = nextVersionNumber({ versions });
        return Number.isInteger(next) && versions.every((version) => next > version) && next >= 1;
      }),
    );
  });
});

describe('Installing: a Single Attachment pack installs at most once per managed account', () => {
  type Existing = Pick<PackInstance, 'managedAccountId' | 'packId' | 'overrideName'>;
  const single: Pick<IntegrationPack, 'id' | 'installationType' | 'name'> = { id: 'pack-s', installationType: 'SINGLE', name: 'Orders' };
  const multi: Pick<IntegrationPack, 'id' | 'installationType' | 'name'> = { id: 'pack-m', installationType: 'MULTI', name: 'Regions' };
  const instance = (packId: string, managedAccountId: string, overrideName?: string): Existing =>
    overrideName === undefined ? { packId, managedAccountId } : { packId, managedAccountId, overrideName };

  test.each([
    { why: 'first install', pack: single, name: undefined, existing: [], code: 'OK', value: undefined },
    {
      why: 'second install in the same account',
      pack: single,
      name: undefined,
      existing: [instance('pack-s', 'm1')],
      code: 'ALREADY_INSTALLED',
    },
    {
      why: 'installed in another account only',
      pack: single,
      name: undefined,
      existing: [instance('pack-s', 'm2')],
      code: 'OK',
      value: undefined,
    },
    {
      why: 'another pack installed in the account',
      pack: single,
      name: undefined,
      existing: [instance('pack-other', 'm1')],
      code: 'OK',
      value: undefined,
    },
    { why: 'an override name is ignored for Single Attachment', pack: single, name: 'Mine', existing: [], code: 'OK', value: undefined },
    { why: 'Multiple Attachments: first instance', pack: multi, name: 'EU', existing: [], code: 'OK', value: 'EU' },
    { why: 'Multiple Attachments: the name is trimmed', pack: multi, name: '  EU  ', existing: [], code: 'OK', value: 'EU' },
    {
      why: 'Multiple Attachments: a second instance with its own name',
      pack: multi,
      name: 'US',
      existing: [instance('pack-m', 'm1', 'EU')],
      code: 'OK',
      value: 'US',
    },
    { why: 'Multiple Attachments: a name is required', pack: multi, name: undefined, existing: [], code: 'OVERRIDE_NAME_REQUIRED' },
    { why: 'Multiple Attachments: a blank name is refused', pack: multi, name: '   ', existing: [], code: 'OVERRIDE_NAME_REQUIRED' },
    {
      why: 'Multiple Attachments: 100 characters fit',
      pack: multi,
      name: 'i'.repeat(100),
      existing: [],
      code: 'OK',
      value: 'i'.repeat(100),
    },
    {
      why: 'Multiple Attachments: 101 characters do not',
      pack: multi,
      name: 'i'.repeat(101),
      existing: [],
      code: 'OVERRIDE_NAME_TOO_LONG',
    },
    {
      why: 'Multiple Attachments: the same name twice (any case)',
      pack: multi,
      name: 'eu',
      existing: [instance('pack-m', 'm1', 'EU')],
      code: 'OVERRIDE_NAME_TAKEN',
    },
    {
      why: 'Multiple Attachments: the same name in another account',
      pack: multi,
      name: 'EU',
      existing: [instance('pack-m', 'm2', 'EU')],
      code: 'OK',
      value: 'EU',
    },
    {
      why: 'Multiple Attachments: the same name for another pack',
      pack: multi,
      name: 'EU',
      existing: [instance('pack-other', 'm1', 'EU')],
      code: 'OK',
      value: 'EU',
    },
  ])('$why → $code', ({ pack, name, existing, code, value }) => {
    const result = validateInstall(pack, 'm1', name, existing);
    expect(codeOf(result)).toBe(code);
    if (result.ok) expect(result.value).toBe(value);
    else expect(result.error.message).toMatch(/\.$/);
  });

  test('without a pack id, every instance passed counts as this pack’s', () => {
    expect(codeOf(validateInstall({ installationType: 'SINGLE', name: 'Orders' }, 'm1', undefined, [instance('any', 'm1')]))).toBe(
      'ALREADY_INSTALLED',
    );
  });
});
