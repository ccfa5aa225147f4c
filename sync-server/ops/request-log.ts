/**
 * Every HTTP request gets an id — the caller's X-Request-Id when it sends a plausible one, else a new
 * one — answered in the X-Request-Id header and carried by the one log line written when the answer
 * is sent: method, path (never the query string), status, duration. Probes and scrapes
 * (/healthz, /readyz, /metrics) are not logged: they come every few seconds.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '../log.ts';

const GIVEN_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const UNLOGGED = new Set(['/healthz', '/readyz', '/metrics']);

export interface RequestLog {
  /** Gives the request its id and logs it once answered; returns the id. */
  begin(req: IncomingMessage, res: ServerResponse, pathname: string): string;
  /** The id given to a request (for error lines written while answering it). */
  idOf(req: IncomingMessage): string | undefined;
}

export function createRequestLog(log: Logger): RequestLog {
  // A prefix per server start keeps ids apart across restarts and instances.
  const prefix = randomBytes(4).toString('hex');
  let count = 0;
  const ids = new WeakMap<IncomingMessage, string>();
  return {
    begin(req, res, pathname) {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && GIVEN_ID.test(given) ? given : `${prefix}-${(++count).toString(36)}`;
      ids.set(req, id);
      // The route layer (fastify) reads it from there for its own lines about this request.
      req.headers['x-request-id'] = id;
      res.setHeader('X-Request-Id', id);
      if (UNLOGGED.has(pathname)) return id;
      const started = performance.now();
      res.once('close', () => {
        const method = req.method ?? 'GET';
        log.info(`${method} ${pathname} ${res.statusCode}`, {
          requestId: id,
          method,
          path: pathname,
          status: res.statusCode,
          ms: Math.round((performance.now() - started) * 10) / 10,
          ...(res.writableFinished ? {} : { aborted: true }),
        });
      });
      return id;
    },
    idOf: (req) => ids.get(req),
  };
}
