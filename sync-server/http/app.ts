/**
 * The HTTP API on fastify: every route of routes.ts, validated by its valibot schemas, described by
 * the OpenAPI document generated from the same schemas (openapi.ts). CORS for every origin (bearer
 * tokens, no cookies), the caller checked before the body is read, JSON replies and one error shape,
 * `{ error: { code, message, field? } }`, for every failure: 404 for an unknown path, 405 for a known
 * path with another method.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest, type FastifySchemaCompiler } from 'fastify';
import * as v from 'valibot';
import { authenticate, decideAccess, tokenFromRequest, type Session } from '../auth.ts';
import { ROLES, type Role } from '../../shared/identity.ts';
import { registerOpenApi, routeSchema } from './openapi.ts';
import { HttpError, type AnyRoute, type AnySchema, type ApiDeps, type ApiReply, type InvalidRequest, type RouteAuth } from './route.ts';

const ALL_ROLES: readonly Role[] = ROLES;
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
  'access-control-allow-headers': 'Authorization, Content-Type, Idempotency-Key',
  'access-control-expose-headers': 'Location, Idempotent-Replayed',
  'access-control-max-age': '600',
};

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The route has a body schema: its body is read as JSON (others ignore any body). */
    takesBody?: boolean;
    /** A text/plain body is passed on as a string. */
    takesText?: boolean;
  }
}

const INTERNAL = {
  code: 'INTERNAL',
  message: 'The server failed to answer; nothing was changed by this request unless it says otherwise.',
};

export interface HttpAppOptions {
  routes: readonly AnyRoute[];
  deps: ApiDeps;
  /** Builds the node:http server fastify answers on (server.ts routes /api to `handler`). */
  serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void) => Server;
}

function sendJson(reply: FastifyReply, { status, body, text, headers }: ApiReply): FastifyReply {
  return reply
    .code(status)
    .headers({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers })
    .send(text ?? (body === undefined ? '' : JSON.stringify(body)));
}

const sendError = (reply: FastifyReply, error: HttpError) =>
  sendJson(reply, {
    status: error.status,
    body: { error: { code: error.code, message: error.message, ...(error.field === undefined ? {} : { field: error.field }) } },
  });

const issueField = (issue: v.BaseIssue<unknown>) => issue.path?.map((item) => String(item.key)).join('.') ?? '';

const defaultInvalid: InvalidRequest = ({ part, field, message }) =>
  new HttpError(400, 'INVALID_FIELD', `${field || part}: ${message}`, field || part);

type HttpPart = 'body' | 'querystring' | 'params' | 'headers';
const PARTS: Record<HttpPart, 'body' | 'query' | 'params' | 'headers'> = {
  body: 'body',
  querystring: 'query',
  params: 'params',
  headers: 'headers',
};

/** The route's valibot schema for each part of the request: the one validation a request gets. */
function valibotCompiler(route: AnyRoute, params: AnySchema): FastifySchemaCompiler<unknown> {
  const schemas: Record<HttpPart, AnySchema | undefined> = {
    body: route.body,
    querystring: route.query,
    params,
    headers: route.headers,
  };
  const invalid = route.invalid ?? defaultInvalid;
  return ({ httpPart }) => {
    const part = PARTS[httpPart as HttpPart];
    const schema = schemas[httpPart as HttpPart];
    return (data: unknown) => {
      if (!schema) return { value: data };
      if (part === 'body' && (data === null || data === undefined))
        return { error: new HttpError(400, 'BODY_REQUIRED', 'A JSON body is required.') };
      const result = v.safeParse(schema, data);
      if (result.success) return { value: result.output };
      const issue = result.issues[0];
      return { error: invalid({ part, field: issueField(issue), message: issue.message }) };
    };
  };
}

/** A string per `:name` of the url: what a route without its own params schema takes. */
export function paramsOf(url: string): AnySchema {
  const names = [...url.matchAll(/:([A-Za-z0-9_]+)/g)].map((match) => match[1]!);
  return v.object(Object.fromEntries(names.map((name) => [name, v.string()])));
}

async function authorize(request: FastifyRequest, auth: RouteAuth, deps: ApiDeps): Promise<Session> {
  const url = new URL(request.url, 'http://localhost');
  const token = tokenFromRequest(request.raw, url, { allowQuery: false, allowBasic: auth.basic === true });
  const session = await authenticate(deps.store.accounts, token);
  const params = request.params as Record<string, string>;
  const accountId = auth.accountParam === undefined ? undefined : params[auth.accountParam];
  const decision = decideAccess(session, accountId, auth.roles ?? ALL_ROLES);
  if (!decision.ok) throw new HttpError(decision.status, decision.code, decision.message);
  const managedAccountId = auth.managedAccountParam === undefined ? undefined : params[auth.managedAccountParam];
  if (decision.session.role === 'managed' && managedAccountId !== undefined && managedAccountId !== decision.session.managedAccountId)
    throw new HttpError(403, 'FORBIDDEN', 'This token belongs to another account.');
  return decision.session;
}

function fastifyError(error: { code?: string; statusCode?: number; message: string }, maxBytes: number): HttpError | undefined {
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return new HttpError(413, 'PAYLOAD_TOO_LARGE', `Request bodies are limited to ${maxBytes} bytes.`);
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
    return new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the body as application/json.');
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500)
    return new HttpError(error.statusCode, 'BAD_REQUEST', error.message);
  return undefined;
}

export async function createHttpApp({ routes, deps, serverFactory }: HttpAppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    logger: false,
    serverFactory,
    bodyLimit: deps.limits.maxHttpBodyBytes,
    routerOptions: { maxParamLength: 500 },
    clientErrorHandler: (_error, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
      else socket.destroy();
    },
    // A path whose percent-encoding does not decode matches no route, as before the move to fastify.
    frameworkErrors: (error, request, reply) =>
      void sendError(
        reply,
        error.code === 'FST_ERR_BAD_URL'
          ? new HttpError(404, 'NOT_FOUND', `No API route ${request.method} ${request.url.split('?')[0]}.`)
          : new HttpError(400, 'BAD_REQUEST', error.message),
      ),
  });
  const sessions = new WeakMap<FastifyRequest, Session>();
  const defaultJson = app.getDefaultJsonParser('error', 'error');

  // Bodies are read only for routes that take one, and an empty body is no body (not a JSON error).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (request, text, done) => {
    const { takesBody, takesText } = request.routeOptions.config;
    if (!takesBody || String(text).trim() === '') return done(null, undefined);
    if (takesText && /^text\/plain\b/i.test(request.headers['content-type'] ?? '')) return done(null, String(text).trim());
    defaultJson(request, String(text), (error, value) =>
      error ? done(new HttpError(400, 'INVALID_JSON', 'The body is not valid JSON.'), undefined) : done(null, value),
    );
  });
  app.setSerializerCompiler(() => (data) => JSON.stringify(data));
  app.addHook('onRequest', async (_request, reply) => {
    reply.headers(CORS);
  });
  app.setErrorHandler((error: Error & { code?: string; statusCode?: number }, request, reply) => {
    const known = error instanceof HttpError ? error : fastifyError(error, deps.limits.maxHttpBodyBytes);
    if (known) return sendError(reply, known);
    deps.log.error(`${request.method} ${request.url.split('?')[0]} failed: ${error.stack ?? error.message}`, {
      requestId: request.headers['x-request-id'] as string | undefined,
    });
    return sendJson(reply, { status: 500, body: { error: INTERNAL } });
  });
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const otherMethod = METHODS.some((method) => method !== request.method && app.findRoute({ method, url: path }) !== null);
    sendError(
      reply,
      otherMethod
        ? new HttpError(405, 'METHOD_NOT_ALLOWED', `${request.method} is not allowed on ${path}.`)
        : new HttpError(404, 'NOT_FOUND', `No API route ${request.method} ${path}.`),
    );
  });
  for (const url of ['/api', '/api/*']) app.options(url, { schema: { hide: true } }, (_request, reply) => reply.code(204).send());

  await registerOpenApi(app);
  for (const route of routes) {
    const params = route.params ?? paramsOf(route.url);
    app.route({
      method: route.method,
      url: route.url,
      schema: routeSchema(route, params),
      config: { takesBody: route.body !== undefined, takesText: route.textBody === true },
      validatorCompiler: valibotCompiler(route, params),
      ...(route.auth
        ? {
            onRequest: async (request: FastifyRequest) => {
              sessions.set(request, await authorize(request, route.auth, deps));
            },
          }
        : {}),
      handler: async (request, reply) => {
        const result = await route.handler({
          params: request.params,
          query: request.query,
          body: request.body,
          headers: request.headers,
          session: sessions.get(request),
          req: request.raw,
          url: new URL(request.url, 'http://localhost'),
          deps,
        });
        return sendJson(reply, result);
      },
    });
  }
  await app.ready();
  return app;
}
