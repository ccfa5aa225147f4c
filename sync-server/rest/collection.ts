/**
 * The read routes every platform object has, from one description: `GET /{Object}/{id}`,
 * `POST /{Object}/query`, `POST /{Object}/queryMore` and `POST /{Object}/bulk` (up to 100 ids).
 */
import * as v from 'valibot';
import { defineRoute, HttpError, type AnyRoute, type AnySchema, type RouteAuth, type RouteRequest } from '../http/route.ts';
import { decodeQueryToken, encodeQueryToken, pageOf, querySchema, type Expression } from './query.ts';
import { BulkRequestSchema, bulkResultSchema, QueryMoreSchema, queryResultSchema } from './schemas.ts';
import { etagOf, REST, restInvalid } from './support.ts';

type Request = RouteRequest<unknown, unknown, unknown, unknown, RouteAuth>;

/** The records a caller may see, and the JSON of each (computed for the records answered only). */
export interface View<T> {
  records: readonly T[];
  json(record: T): unknown;
}

export interface Collection<T extends { id: string }> {
  /** The platform's object name: the path segment and the `@type`. */
  object: string;
  tag: string;
  auth: RouteAuth;
  /** The JSON of one record. */
  schema: AnySchema;
  /** The properties a query may filter on. */
  properties: readonly [string, ...string[]];
  /** Runs `fn` on the records the caller may see (inside one read of the account). */
  view<R>(request: Request, fn: (view: View<T>) => R): Promise<R>;
  /** A record's filterable properties as text. */
  propertiesOf(record: T): Readonly<Record<string, string | undefined>>;
  notFound(id: string): HttpError;
}

const IdParams = v.object({ accountId: v.string(), id: v.string() });

export function collectionRoutes<T extends { id: string }>(collection: Collection<T>): AnyRoute[] {
  const { object, tag, auth, schema } = collection;
  const query = querySchema(collection.properties);
  /** One page; `position` is read once the caller's access to the records is known (a bad token is no news to a stranger). */
  const page = (request: Request, position: () => { expression: Expression | undefined; after: string | undefined }) => {
    const accountId = (request.params as { accountId: string }).accountId;
    return collection.view(request, ({ records, json }) => {
      const { expression, after } = position();
      const result = pageOf(records, (record) => record.id, collection.propertiesOf, expression, after, request.deps.limits.restPageSize);
      return {
        status: 200,
        body: {
          '@type': 'QueryResult',
          result: result.items.map(json),
          numberOfResults: result.total,
          ...(result.nextAfter === undefined
            ? {}
            : { queryToken: encodeQueryToken({ object, accountId, expression, after: result.nextAfter }) }),
        },
      };
    });
  };
  return [
    defineRoute({
      method: 'GET',
      url: `${REST}/${object}/:id`,
      summary: `Get a ${object}`,
      tag,
      auth,
      params: IdParams,
      invalid: restInvalid,
      responses: { 200: { description: `The ${object} (its ETag in the ETag header)`, schema } },
      handler: async (request) => {
        const found = await collection.view(request as Request, ({ records, json }) => {
          const record = records.find((candidate) => candidate.id === request.params.id);
          return record && json(record);
        });
        if (!found) throw collection.notFound(request.params.id);
        return { status: 200, body: found, headers: { etag: etagOf(found) } };
      },
    }),
    defineRoute({
      method: 'POST',
      url: `${REST}/${object}/query`,
      summary: `Query ${object} records`,
      description: `Filter on ${collection.properties.join(', ')} with EQUALS or LIKE (% and _ wildcards), grouped with and / or. Sorted by id; a page holds up to 100 records, queryMore gives the next.`,
      tag,
      auth,
      body: query,
      invalid: restInvalid,
      responses: { 200: { description: 'The first page', schema: queryResultSchema(schema) } },
      handler: (request) =>
        page(request as Request, () => ({ expression: request.body.QueryFilter?.expression as Expression | undefined, after: undefined })),
    }),
    defineRoute({
      method: 'POST',
      url: `${REST}/${object}/queryMore`,
      summary: `The next page of a ${object} query`,
      description: 'The body is the queryToken of the previous page (as text/plain, or JSON { "queryToken": … }).',
      tag,
      auth,
      body: QueryMoreSchema,
      textBody: true,
      invalid: restInvalid,
      responses: { 200: { description: 'The next page', schema: queryResultSchema(schema) } },
      handler: (request) => {
        const token = typeof request.body === 'string' ? request.body : request.body.queryToken;
        return page(request as Request, () => decodeQueryToken(token, object, request.params.accountId!, query));
      },
    }),
    defineRoute({
      method: 'POST',
      url: `${REST}/${object}/bulk`,
      summary: `Get up to 100 ${object} records by id`,
      tag,
      auth,
      body: BulkRequestSchema,
      invalid: restInvalid,
      responses: { 200: { description: 'One response per id, in the order asked', schema: bulkResultSchema(schema) } },
      handler: async (request) => {
        const response = await collection.view(request as Request, ({ records, json }) => {
          const byId = new Map(records.map((record) => [record.id, record]));
          return request.body.request.map(({ id }, index) => {
            const found = byId.get(id);
            return found
              ? { '@type': 'BulkResponse', index, id, statusCode: 200, Result: json(found) }
              : { '@type': 'BulkResponse', index, id, statusCode: 404, errorMessage: collection.notFound(id).message };
          });
        });
        return { status: 200, body: { '@type': 'BulkResult', response } };
      },
    }),
  ];
}

export const notFound = (object: string) => (id: string) => new HttpError(404, 'NOT_FOUND', `No ${object} with id ${id}.`);
