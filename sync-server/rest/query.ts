/**
 * The platform's query: `{ QueryFilter: { expression } }`, an expression being a property test
 * (`EQUALS` or `LIKE`, with `%` for any run of characters and `_` for one) or an `and` / `or` group of
 * `nestedExpression`s. Results come sorted by id, a page at a time; `queryToken` resumes after the
 * last id of a page (so pages neither repeat nor skip when records come and go between calls).
 */
import * as v from 'valibot';
import { HttpError } from '../http/route.ts';

const MAX_NESTED = 20;
const MAX_ARGUMENT = 500;

export type Expression =
  | { operator: 'EQUALS' | 'LIKE'; property: string; argument: string[] }
  | { operator: 'and' | 'or'; nestedExpression: Expression[] };

/** The query body for an object whose records can be filtered on `properties` (grouping nests three deep). */
export function querySchema(properties: readonly [string, ...string[]]) {
  const test = v.object({
    operator: v.picklist(['EQUALS', 'LIKE'], 'operator must be EQUALS, LIKE, and or or'),
    property: v.picklist(properties, `property must be one of ${properties.join(', ')}`),
    argument: v.pipe(v.array(v.pipe(v.string(), v.maxLength(MAX_ARGUMENT))), v.length(1, 'argument holds exactly one value')),
  });
  const group = <T extends v.GenericSchema>(inner: T) =>
    v.object({
      operator: v.picklist(['and', 'or'], 'operator must be EQUALS, LIKE, and or or'),
      nestedExpression: v.pipe(v.array(inner), v.minLength(1), v.maxLength(MAX_NESTED)),
    });
  const either = <T extends v.GenericSchema>(inner: T) => v.variant('operator', [test, group(inner)]);
  const expression = either(either(either(test)));
  return v.object({
    QueryFilter: v.optional(v.object({ expression: v.optional(expression) })),
  });
}

const likePattern = (pattern: string): RegExp =>
  new RegExp(
    `^${[...pattern].map((char) => (char === '%' ? '.*' : char === '_' ? '.' : char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('')}$`,
    'isu',
  );

/** Whether a record (its filterable properties as text) matches the expression; no expression matches all. */
export function matches(expression: Expression | undefined, record: Readonly<Record<string, string | undefined>>): boolean {
  if (!expression) return true;
  if ('nestedExpression' in expression)
    return expression.operator === 'and'
      ? expression.nestedExpression.every((inner) => matches(inner, record))
      : expression.nestedExpression.some((inner) => matches(inner, record));
  const value = record[expression.property];
  if (value === undefined) return false;
  const argument = expression.argument[0] ?? '';
  return expression.operator === 'EQUALS' ? value === argument : likePattern(argument).test(value);
}

const TokenSchema = v.object({ o: v.string(), a: v.string(), after: v.string(), e: v.optional(v.unknown()) });

export interface QueryPosition {
  object: string;
  accountId: string;
  expression: Expression | undefined;
  /** Ids up to this one were returned already. */
  after: string;
}

export const encodeQueryToken = ({ object, accountId, expression, after }: QueryPosition): string =>
  Buffer.from(JSON.stringify({ o: object, a: accountId, after, ...(expression ? { e: expression } : {}) })).toString('base64url');

/** The position a token resumes from; 400 naming queryToken when it is not one of this object's and account's. */
export function decodeQueryToken(
  token: string,
  object: string,
  accountId: string,
  expressionSchema: v.GenericSchema<unknown, { QueryFilter?: { expression?: unknown } | undefined }>,
): QueryPosition {
  const invalid = new HttpError(400, 'INVALID_QUERY_TOKEN', 'queryToken is not a token this query returned.', 'queryToken');
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  const parsed = v.safeParse(TokenSchema, decoded);
  if (!parsed.success || parsed.output.o !== object || parsed.output.a !== accountId) throw invalid;
  const filter = v.safeParse(expressionSchema, { QueryFilter: { expression: parsed.output.e } });
  if (!filter.success) throw invalid;
  return { object, accountId, after: parsed.output.after, expression: filter.output.QueryFilter?.expression as Expression | undefined };
}

export interface Page<T> {
  items: T[];
  /** How many records match in all. */
  total: number;
  /** The id after which the next page starts, when there is one. */
  nextAfter?: string;
}

/** One page of the records matching the expression, in id order, after `after`. */
export function pageOf<T>(
  records: readonly T[],
  idOf: (record: T) => string,
  propertiesOf: (record: T) => Readonly<Record<string, string | undefined>>,
  expression: Expression | undefined,
  after: string | undefined,
  size: number,
): Page<T> {
  const matching = records.filter((record) => matches(expression, propertiesOf(record)));
  matching.sort((a, b) => (idOf(a) < idOf(b) ? -1 : idOf(a) > idOf(b) ? 1 : 0));
  const rest = after === undefined ? matching : matching.filter((record) => idOf(record) > after);
  const items = rest.slice(0, size);
  const last = items.at(-1);
  return { items, total: matching.length, ...(rest.length > size && last ? { nextAfter: idOf(last) } : {}) };
}
