/**
 * Pack names may repeat (the platform allows it), but two packs an admin cannot tell apart are a
 * mistake waiting to happen: Save warns. Names are the same when they read the same: Unicode
 * compatibility forms, case and runs of blanks do not count.
 */

export function nameKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}
