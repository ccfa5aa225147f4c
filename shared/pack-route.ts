/**
 * A pack's place in the page's URL (/packs/<segment>). A pack id under the pack-id rule is its own
 * segment; any other stored id (an empty one, one with '/' or '%', or 'new', which names the form
 * for a new pack) is '~' and the hex of its UTF-8 bytes, so every stored pack can be opened and
 * deleted from the page. '~' is outside the rule, so the two never collide.
 */
import { validatePackId } from './rules.ts';

const NEW = 'new';

export function packSegment(packId: string): string {
  if (packId !== NEW && validatePackId(packId).ok) return packId;
  return `~${[...new TextEncoder().encode(packId)].map((byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/** The pack id a URL segment names; undefined for 'new' (the new-pack form) or a segment no pack has. */
export function packIdOfSegment(segment: string | undefined): string | undefined {
  if (segment === undefined || segment === NEW) return undefined;
  if (!segment.startsWith('~')) return segment;
  const hex = segment.slice(1);
  if (!/^(?:[0-9a-f]{2})*$/.test(hex)) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return new TextDecoder().decode(bytes);
}
