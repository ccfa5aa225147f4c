/**
 * Release notes: what the admin writes about a release in the release dialog. They go with the
 * release (Release.notes) and are shown in History, Rollout, on the managed page and in the
 * extension's reminder. Optional; surrounding blank space is not kept; bounded so a note stays a note.
 */
import { fail, ok, type Result } from './result.ts';

export const RELEASE_NOTES_MAX = 2000;

/** The notes as stored: trimmed, undefined when there are none. */
export function validateReleaseNotes(notes: unknown): Result<string | undefined> {
  if (notes === undefined || notes === null) return ok(undefined);
  if (typeof notes !== 'string') return fail('RELEASE_NOTES_INVALID', 'Release notes are text.', 'notes');
  const text = notes.trim();
  if (text === '') return ok(undefined);
  const length = [...text].length;
  if (length > RELEASE_NOTES_MAX)
    return fail(
      'RELEASE_NOTES_TOO_LONG',
      `Release notes can contain up to ${RELEASE_NOTES_MAX} characters (these have ${length}).`,
      'notes',
    );
  return ok(text);
}
