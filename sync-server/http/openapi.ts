/**
 * The OpenAPI 3.1 document, generated from the valibot schemas that validate each route (converted
 * by @valibot/to-json-schema, collected by @fastify/swagger), at /api/openapi.json; /api/docs renders
 * it with Swagger UI, served from this server's own copy (@fastify/swagger-ui: nothing from a CDN).
 */
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { toJsonSchema } from '@valibot/to-json-schema';
import type { FastifyInstance, FastifySchema } from 'fastify';
import * as v from 'valibot';
import type { AnyRoute, AnySchema } from './route.ts';

export const OPENAPI_PATH = '/api/openapi.json';
export const DOCS_PREFIX = '/api/docs';

export const ErrorBodySchema = v.object({
  error: v.object({
    code: v.pipe(v.string(), v.description('A stable code for scripts: NOT_FOUND, INVALID_FIELD, CONFLICT, …')),
    message: v.pipe(v.string(), v.description('What went wrong, for a person.')),
    field: v.optional(v.pipe(v.string(), v.description('The request field at fault, for a 400.'))),
  }),
});

/**
 * Swagger UI's own files only. Styles may be inline (its React views set style attributes); scripts
 * may not. No upgrade-insecure-requests: the server is reached over plain HTTP on a LAN or loopback.
 */
const DOCS_CSP = [
  "default-src 'self'",
  "base-uri 'self'",
  "connect-src 'self'",
  "font-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'self'",
  "img-src 'self' data:",
  "object-src 'none'",
  "script-src 'self'",
  "script-src-attr 'none'",
  "style-src 'self' 'unsafe-inline'",
].join('; ');

/** A valibot schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect). Checks with no JSON Schema form are left out. */
export function jsonSchemaOf(schema: AnySchema, typeMode: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _dialect, ...json } = toJsonSchema(schema, { target: 'draft-2020-12', typeMode, errorMode: 'ignore' }) as Record<
    string,
    unknown
  >;
  return json;
}

/** The fastify schema of a route: what @fastify/swagger turns into its operation. */
export function routeSchema(route: AnyRoute, params: AnySchema): FastifySchema & Record<string, unknown> {
  const response: Record<string, unknown> = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    const schema = spec.schema ?? (Number(status) >= 400 ? ErrorBodySchema : undefined);
    response[status] = spec.contentType
      ? { description: spec.description, content: { [spec.contentType]: { schema: { type: 'string' } } } }
      : schema
        ? { description: spec.description, content: { 'application/json': { schema: jsonSchemaOf(schema, 'output') } } }
        : { description: spec.description, type: 'null' };
  }
  response.default = {
    description: 'An error: `{ error: { code, message, field? } }`',
    content: { 'application/json': { schema: jsonSchemaOf(ErrorBodySchema, 'output') } },
  };
  const auth = route.auth as { basic?: boolean } | undefined;
  return {
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    ...(route.tag ? { tags: [route.tag] } : {}),
    ...(route.operationId ? { operationId: route.operationId } : {}),
    ...(route.hidden ? { hide: true } : {}),
    ...(auth ? { security: auth.basic ? [{ bearerToken: [] }, { basicToken: [] }] : [{ bearerToken: [] }] } : {}),
    params: jsonSchemaOf(params, 'input'),
    ...(route.query ? { querystring: jsonSchemaOf(route.query, 'input') } : {}),
    ...(route.headers ? { headers: jsonSchemaOf(route.headers, 'input') } : {}),
    ...(route.body ? { body: jsonSchemaOf(route.body, 'input') } : {}),
    response,
  };
}

/** Registers the document and its page; call before the routes are added (the document collects them as they are). */
export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Integration Packs API',
        version: '1.0.0',
        description:
          'The publisher and managed-account API of the Integration Packs server. Every error answers `{ error: { code, message, field? } }`.',
      },
      components: {
        securitySchemes: {
          bearerToken: { type: 'http', scheme: 'bearer', description: 'An API token (`npm run token`).' },
          basicToken: { type: 'http', scheme: 'basic', description: 'Any user name, the API token as the password.' },
        },
      },
    },
  });
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    staticCSP: DOCS_CSP,
    validatorUrl: false,
    uiConfig: { deepLinking: true },
  });
  app.get(OPENAPI_PATH, { schema: { hide: true } }, (_request, reply) =>
    reply.header('cache-control', 'no-store').type('application/json; charset=utf-8').send(JSON.stringify(app.swagger())),
  );
}
