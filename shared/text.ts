/** Counts characters as a person does: one per grapheme cluster (an emoji or an accented letter is one). */
const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

// biome-ignore lint/suspicious/noControlCharactersInRegex: the whole ASCII range, control characters included, on purpose.
const ASCII = /^[\x00-\x7f]*$/;

export function graphemeCount(text: string): number {
  // ASCII is one grapheme per code unit except \r\n; skip the segmenter for the common case.
  if (ASCII.test(text)) return text.length - (text.match(/\r\n/g)?.length ?? 0);
  let count = 0;
  for (const _ of segmenter.segment(text)) count++;
  return count;
}

/** UTF-8 bytes of `text`, as Yjs stores and sends it (a lone surrogate becomes U+FFFD, 3 bytes). */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

export interface TextMeasure {
  graphemes: number;
  /** UTF-8 bytes of the longest grapheme cluster. */
  longestGraphemeBytes: number;
}

/** Grapheme clusters and the longest one's size, in one pass. */
export function measureText(text: string): TextMeasure {
  if (ASCII.test(text))
    return { graphemes: graphemeCount(text), longestGraphemeBytes: text.length === 0 ? 0 : text.includes('\r\n') ? 2 : 1 };
  let graphemes = 0;
  let longestGraphemeBytes = 0;
  for (const { segment } of segmenter.segment(text)) {
    graphemes++;
    // A cluster's UTF-8 size is at most 3 bytes per UTF-16 unit: measure only the long ones exactly.
    if (segment.length * 3 > longestGraphemeBytes) longestGraphemeBytes = Math.max(longestGraphemeBytes, utf8Bytes(segment));
  }
  return { graphemes, longestGraphemeBytes };
}

/**
 * Characters that show nothing on their own: spaces of every kind, format and control characters,
 * default-ignorable ones (zero-width space and joiners, word joiner, soft hyphen, Hangul fillers,
 * variation selectors, tags), combining marks with no base, and the Braille blank.
 */
const VISIBLE = /[^\p{White_Space}\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Cs}\p{M}\u2800]/u;

/** True when `text` has no character a person would see: a name made only of such characters is missing. */
export function isBlank(text: string): boolean {
  return !VISIBLE.test(text);
}

/** Case-insensitive partial match, as Filter Components does. */
export function matchesFilter(name: string, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  return needle === '' || name.toLowerCase().includes(needle);
}
