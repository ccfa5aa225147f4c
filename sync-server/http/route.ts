/**
 * How an HTTP route is written. Each route lives in its own file under http/ (or rest/) and is listed
 * once in routes.ts; app.ts puts them on fastify. The valibot schemas of a route are used twice and
 * are the one copy: they validate the request (params, query, body, headers) before the handler runs,
 * and the OpenAPI document (/api/openapi.json) is generated from them, with the response schemas.
 */
import type { IncomingMessage } from 'node:http';
import type * as v from 'valibot';
import type * as Y from 'yjs';
import type { CommandEnvelope, CommandResult } from '../../shared/index.ts';
import type { Session } from '../auth.ts';
import type { Clock, Limits } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Role, Store } from '../storage/types.ts';
import type { AccountRecords } from '../records/account-records.ts';
import type { ServerOrigin } from '../sync/room.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What route handlers may use of the server. */
export interface ApiDeps {
  store: Store;
  rooms: {
    /** One transaction on the document and the account's records (account-records.ts: the truth; the document's roots but `packs` are its projection). */
    mutate<T>(accountId: string, fn: (doc: Y.Doc, origin: ServerOrigin, records: AccountRecords) => T): Promise<T>;
    read<T>(accountId: string, fn: (doc: Y.Doc, records: AccountRecords) => T): Promise<T>;
    command(accountId: string, session: Session, envelope: CommandEnvelope): Promise<CommandResult>;
    isLoaded(accountId: string): boolean;
  };
  clock: Clock;
  limits: Limits;
  log: Logger;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The request field at fault (`body.name`, `query.limit`), for a 400. */
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Who may call a route. Checked before the body is read, so a refused caller learns nothing of its validity. */
export interface RouteAuth {
  /** Default: every role. */
  roles?: readonly Role[];
  /** The path parameter holding the account the token must belong to (403 "another account" otherwise). */
  accountParam?: string;
  /**
   * The path parameter holding a managed account: a managed-account user's must be their own (403
   * "another account" otherwise); an admin may name any (the route checks it is the publisher's).
   */
  managedAccountParam?: string;
  /** Also accept `Authorization: Basic base64(anything:token)` (the platform's API takes tokens that way). */
  basic?: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: any valibot schema
export type AnySchema = v.GenericSchema<any, any>;
type Out<S> = S extends AnySchema ? v.InferOutput<S> : undefined;

export interface RouteRequest<P, Q, B, H, A> {
  params: P extends AnySchema ? v.InferOutput<P> : Record<string, string>;
  query: Out<Q>;
  body: Out<B>;
  headers: Out<H>;
  /** The caller, checked against `auth` before anything else ran; undefined on a public route. */
  session: A extends RouteAuth ? Session : undefined;
  req: IncomingMessage;
  url: URL;
  deps: ApiDeps;
}

export interface ApiReply {
  status: number;
  body?: unknown;
  /** A body sent as it is instead of `body` as JSON (with its own content-type header, e.g. /metrics). */
  text?: string;
  headers?: Record<string, string>;
}

export interface ResponseSpec {
  description: string;
  /** The JSON body's schema; none for an empty body (an error status without one has the error body). */
  schema?: AnySchema;
  /** A body that is not JSON (e.g. `text/plain` for /metrics): documented as text of this type. */
  contentType?: string;
}

/** A 400 for a request that failed validation; the default names the field and says what is wrong. */
export type InvalidRequest = (problem: { part: 'params' | 'query' | 'body' | 'headers'; field: string; message: string }) => HttpError;

export interface Route<P = unknown, Q = unknown, B = unknown, H = unknown, A = unknown> {
  method: Method;
  /** fastify's syntax: literal segments and `:name` parameters, e.g. `/api/accounts/:id/summary`. */
  url: string;
  /** One line for the OpenAPI document. */
  summary: string;
  description?: string;
  /** The OpenAPI tag (a group on /api/docs). */
  tag?: string;
  operationId?: string;
  /** Omitted: anyone may call (no token). */
  auth?: A;
  /** Defaults to a string per `:name` of the url. */
  params?: P;
  query?: Q;
  /** A route with a body schema requires a JSON body (400 BODY_REQUIRED without one); others ignore any body. */
  body?: B;
  headers?: H;
  /** A `text/plain` body reaches the body schema as a string (e.g. the platform's queryMore takes its token so). */
  textBody?: boolean;
  invalid?: InvalidRequest;
  responses: Record<number, ResponseSpec>;
  /** Left out of the OpenAPI document. */
  hidden?: boolean;
  handler(request: RouteRequest<P, Q, B, H, A>): Promise<ApiReply> | ApiReply;
}

// biome-ignore lint/suspicious/noExplicitAny: a list holds routes of every shape
export type AnyRoute = Route<any, any, any, any, any>;

/** Types a route from its schemas (params, query, body, headers and auth infer the handler's request). */
export function defineRoute<
  P extends AnySchema | undefined = undefined,
  Q extends AnySchema | undefined = undefined,
  B extends AnySchema | undefined = undefined,
  H extends AnySchema | undefined = undefined,
  A extends RouteAuth | undefined = undefined,
>(route: Route<P, Q, B, H, A>): AnyRoute {
  return route as AnyRoute;
}

/** The error body every failure answers with, on every route. */
export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}
