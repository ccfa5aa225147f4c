/** The numbers the rules use, in one place. */
export const limits = {
  /** Our choice: the spec sets none; 100 keeps names readable in the list and in managed accounts. */
  nameMaxLength: 100,
  /** Stated by the spec: "The description can contain up to 500 characters." */
  descriptionMaxLength: 500,
  /**
   * Bytes (UTF-8, as stored and sent) of one character as a person sees it (a grapheme cluster).
   * The longest emoji sequences (a kiss with two skin tones, a subdivision flag) take 35; a script's
   * stacked marks take well under that. Only runs of combining marks (“Zalgo” text) go past 64.
   */
  graphemeMaxBytes: 64,
  /** Bytes of a name: 100 of the longest emoji (35 bytes each) fit, so ordinary text never meets it. */
  nameMaxBytes: 4_000,
  /** Bytes of a description: 500 of the longest emoji (35 bytes each) fit. */
  descriptionMaxBytes: 20_000,
  /** Characters of a pack id (letters, digits, '-', '_', '.'; see validatePackId). */
  packIdMaxLength: 100,
  /** The platform's documented limit on components per pack. */
  componentsPerPack: 100,
  /** Our choice, for the override name of a multiple-attachment instance. */
  overrideNameMaxLength: 100,
} as const;
