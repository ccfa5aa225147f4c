/**
 * Type-to-jump in a listbox (the WAI-ARIA listbox pattern): a typed character moves to the next
 * option whose name starts with it; characters typed in quick succession form one prefix. Pure: the
 * caller passes the time of each key, so no timer runs.
 */

/** Keys typed further apart than this start a new prefix. */
export const TYPE_AHEAD_RESET_MS = 500;

export interface TypeAhead {
  /** Adds a typed character at `now` (ms) and returns the prefix typed so far. */
  type(character: string, now: number): string;
  /** Whether a prefix is being typed at `now` (Space then belongs to it instead of selecting). */
  typing(now: number): boolean;
  /** Ends the prefix (another key moved the active option). */
  reset(): void;
}

export function createTypeAhead(resetMs = TYPE_AHEAD_RESET_MS): TypeAhead {
  let prefix = '';
  let last = Number.NEGATIVE_INFINITY;
  return {
    type(character, now) {
      if (now - last > resetMs) prefix = '';
      last = now;
      prefix += character.toLocaleLowerCase();
      return prefix;
    },
    typing: (now) => prefix !== '' && now - last <= resetMs,
    reset: () => {
      prefix = '';
    },
  };
}

/**
 * The index of the option a prefix jumps to, from the active one (`from`, -1 for none): the first
 * name starting with the prefix at or after `from`, wrapping around; a prefix of one repeated letter
 * ("ccc") cycles through the names starting with that letter. -1 when no name matches.
 */
export function typeAheadIndex(lowerNames: (index: number) => string, count: number, from: number, prefix: string): number {
  if (count === 0 || prefix === '') return -1;
  const repeated = [...prefix].every((character) => character === prefix[0]);
  const wanted = repeated ? prefix[0]! : prefix;
  // One letter (or the same letter again) moves on from the active option; a longer prefix may stay on it.
  const start = repeated ? from + 1 : Math.max(from, 0);
  for (let step = 0; step < count; step++) {
    const index = (((start + step) % count) + count) % count;
    if (lowerNames(index).startsWith(wanted)) return index;
  }
  return -1;
}
