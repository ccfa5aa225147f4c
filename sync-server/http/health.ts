import * as v from 'valibot';
import { defineRoute } from './route.ts';

/** GET /api/health → { status: 'ok' }: the server is up (no token needed). */
export const health = defineRoute({
  method: 'GET',
  url: '/api/health',
  summary: 'The server is up',
  tag: 'Server',
  responses: { 200: { description: 'Up', schema: v.object({ status: v.literal('ok') }) } },
  handler: () => ({ status: 200, body: { status: 'ok' } }),
});
