/** Query parameters shared by the paged routes (history, rollout): the filters, a cursor and a page size. */
import * as v from 'valibot';
import { HttpError } from './route.ts';

export const PAGE_DEFAULT = 50;
export const PAGE_MAX = 200;

export const PagedQuerySchema = v.object({
  packId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(100_000))),
  managedAccountId: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200))),
  cursor: v.optional(v.pipe(v.string(), v.maxLength(2_000), v.description('The nextCursor of the previous page.'))),
  limit: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d{1,4}$/, 'limit must be a whole number'),
      v.transform(Number),
      v.minValue(1, 'limit must be at least 1'),
      v.maxValue(PAGE_MAX, `limit must be at most ${PAGE_MAX}`),
      v.description(`Page size, 1–${PAGE_MAX} (default ${PAGE_DEFAULT}).`),
    ),
  ),
});

/** A cursor is opaque to callers: base64url JSON of where the previous page ended. */
export const encodeCursor = (position: unknown): string => Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');

export function decodeCursor<T>(cursor: string | undefined, check: (value: unknown) => value is T): T | undefined {
  if (cursor === undefined) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    value = undefined;
  }
  if (!check(value))
    throw new HttpError(400, 'INVALID_CURSOR', 'The cursor is not one this server gave out; start again without it.', 'query.cursor');
  return value;
}
