/**
 * Just enough of source map v3 for the bench: decode `mappings` (base64 VLQ) into segments per
 * generated line, find the source of a generated position, and name the package a source belongs to.
 */

export interface SourceMapV3 {
  sources: string[];
  mappings: string;
}

export interface Segment {
  column: number;
  /** Index into `sources`; undefined for a segment that maps to no source. */
  source: number | undefined;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((char, i) => [char, i]));

/** Segments per generated line, in column order. */
export function decodeMappings(mappings: string): Segment[][] {
  let source = 0;
  return mappings.split(';').map((lineMappings) => {
    let column = 0;
    const segments: Segment[] = [];
    for (const text of lineMappings.split(',')) {
      if (text === '') continue;
      const values: number[] = [];
      let value = 0;
      let shift = 0;
      for (const char of text) {
        const digit = DIGIT.get(char) ?? 0;
        value += (digit & 31) * 2 ** shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value % 2 === 1 ? -Math.floor(value / 2) : value / 2);
          value = 0;
          shift = 0;
        }
      }
      column += values[0] ?? 0;
      if (values.length >= 4) source += values[1]!;
      segments.push({ column, source: values.length >= 4 ? source : undefined });
    }
    return segments;
  });
}

/** The source file of a generated (0-based) line and column, if mapped. */
export function sourceAt(map: SourceMapV3, lines: Segment[][], line: number, column: number): string | undefined {
  const segments = lines[line];
  if (!segments || segments.length === 0) return undefined;
  let low = 0;
  let high = segments.length - 1;
  if (segments[0]!.column > column) return undefined;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if (segments[mid]!.column <= column) low = mid;
    else high = mid - 1;
  }
  const index = segments[low]!.source;
  return index === undefined ? undefined : map.sources[index];
}

/** node_modules/<pkg> (or @scope/pkg), else the project directory a source is in. */
export function packageOf(source: string): string {
  if (source.startsWith('(')) return source;
  if (source.includes('virtual:pwa-register')) return 'vite-plugin-pwa (register)';
  const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(source);
  if (match) return match[1]!;
  const project = /(shared|client\/core|client\/src|client)\//.exec(source);
  return project ? `(ours) ${project[1]}` : source.includes('vite') || source.startsWith('\0') ? '(vite runtime)' : '(other)';
}
