import { describe, expect, it } from 'vitest';
import { RELEASE_NOTES_MAX, validateReleaseNotes } from './release-notes.ts';

describe('validateReleaseNotes', () => {
  it('keeps the text trimmed; none or blank is no notes', () => {
    expect(validateReleaseNotes('  Fixes the NetSuite retry.\n')).toEqual({ ok: true, value: 'Fixes the NetSuite retry.' });
    expect(validateReleaseNotes(undefined)).toEqual({ ok: true, value: undefined });
    expect(validateReleaseNotes('   \n ')).toEqual({ ok: true, value: undefined });
  });
  it('refuses notes past the limit (counted in characters) and non-text, with the field', () => {
    expect(validateReleaseNotes('é'.repeat(RELEASE_NOTES_MAX)).ok).toBe(true);
    expect(validateReleaseNotes('x'.repeat(RELEASE_NOTES_MAX + 1))).toMatchObject({
      ok: false,
      error: { code: 'RELEASE_NOTES_TOO_LONG', field: 'notes' },
    });
    expect(validateReleaseNotes(42)).toMatchObject({ ok: false, error: { code: 'RELEASE_NOTES_INVALID' } });
  });
});
