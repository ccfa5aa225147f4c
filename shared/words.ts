/**
 * Counted nouns in the page's English ("1 pack", "2 packs"), chosen by Intl.PluralRules rather than
 * "n pack(s)". The page, its dialogs, the managed page and the extension all count through this.
 */

const english = new Intl.PluralRules('en');

/** The noun's forms: `one` for a count of 1 (and whatever else English calls "one"), `other` otherwise. */
export interface NounForms {
  one: string;
  other: string;
}

/** "1 change", "2 changes", "0 changes". */
export function countOf(count: number, noun: NounForms): string {
  return `${count} ${english.select(count) === 'one' ? noun.one : noun.other}`;
}

/** The verb or noun that agrees with `count` ("1 pack needs", "2 packs need"). */
export function agree(count: number, forms: NounForms): string {
  return english.select(count) === 'one' ? forms.one : forms.other;
}

/** Nouns the product counts, written once. */
export const Noun = {
  change: { one: 'change', other: 'changes' },
  command: { one: 'command', other: 'commands' },
  instance: { one: 'instance', other: 'instances' },
  installation: { one: 'installation', other: 'installations' },
  managedAccount: { one: 'managed account', other: 'managed accounts' },
  pack: { one: 'pack', other: 'packs' },
  component: { one: 'component', other: 'components' },
  time: { one: 'time', other: 'times' },
} as const satisfies Record<string, NounForms>;
