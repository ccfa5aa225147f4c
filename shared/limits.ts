/** The numbers the rules use, in one place. */
export const limits = {
  /** Our choice: the spec sets none; 100 keeps names readable in the list and in managed accounts. */
  nameMaxLength: 100,
  /** Stated by the spec: "The description can contain up to 500 characters." */
  descriptionMaxLength: 500,
  /** The platform's documented limit on components per pack. */
  componentsPerPack: 100,
  /** Our choice, for the override name of a multiple-attachment instance. */
  overrideNameMaxLength: 100,
} as const;
