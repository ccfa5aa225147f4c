/** Counts characters as a person does: one per grapheme cluster (an emoji or an accented letter is one). */
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

export function graphemeCount(text: string): number {
  // ASCII is one grapheme per code unit except \r\n; skip the segmenter for the common case.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range, control characters included, on purpose.
  if (/^[\x00-\x7f]*$/.test(text)) return text.length - (text.match(/\r\n/g)?.length ?? 0);
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
}

/** Case-insensitive partial match, as Filter Components does. */
export function matchesFilter(name: string, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  return needle === '' || name.toLowerCase().includes(needle);
}
