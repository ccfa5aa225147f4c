/** Every rule returns one of these: a value, or an error a person can read. */

export interface RuleError {
  /** Stable machine code, e.g. `DESCRIPTION_TOO_LONG`. */
  code: string;
  /** A sentence for the person who made the edit. */
  message: string;
  /** The field the error is about, when there is one. */
  field?: string;
}

export type Result<T = void> = { ok: true; value: T } | { ok: false; error: RuleError };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const okVoid: Result<void> = { ok: true, value: undefined };
export const fail = (code: string, message: string, field?: string): Result<never> => ({
  ok: false,
  error: field === undefined ? { code, message } : { code, message, field },
});
