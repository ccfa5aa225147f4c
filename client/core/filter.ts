/**
 * Filter Components on a large catalog: one array of lower-cased names built once per catalog
 * change, then a linear `includes` scan per keystroke — the same answer as `matchesFilter`
 * (trimmed, case-insensitive, partial), without lower-casing 50,000 names on every key.
 */
import type { PublishedComponent } from '../../shared/index.ts';

export class ComponentFilterIndex<T extends PublishedComponent = PublishedComponent> {
  private readonly names: string[];

  constructor(private readonly components: readonly T[]) {
    this.names = components.map((component) => component.name.toLowerCase());
  }

  filter(filter: string): T[] {
    const needle = filter.trim().toLowerCase();
    if (needle === '') return this.components.slice();
    const matches: T[] = [];
    for (let i = 0; i < this.names.length; i++) if (this.names[i]!.includes(needle)) matches.push(this.components[i]!);
    return matches;
  }
}
