/**
 * A tiny router: method + path pattern (`/api/accounts/:id/commands`) → handler. Each route lives in
 * its own file under http/ and is listed once in routes.ts.
 */
import type { IncomingMessage } from 'node:http';
import type * as Y from 'yjs';
import type { CommandEnvelope, CommandResult } from '../../shared/index.ts';
import type { Session } from '../auth.ts';
import type { Clock, Limits } from '../config.ts';
import type { Logger } from '../log.ts';
import type { Role, Store } from '../storage/types.ts';
import type { ServerOrigin } from '../sync/room.ts';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** What route handlers may use of the server. */
export interface ApiDeps {
  store: Store;
  rooms: {
    mutate<T>(accountId: string, fn: (doc: Y.Doc, origin: ServerOrigin) => T): Promise<T>;
    read<T>(accountId: string, fn: (doc: Y.Doc) => T): Promise<T>;
    command(accountId: string, session: Session, envelope: CommandEnvelope): Promise<CommandResult>;
    isLoaded(accountId: string): boolean;
  };
  clock: Clock;
  limits: Limits;
  log: Logger;
}

export interface ApiRequest {
  req: IncomingMessage;
  url: URL;
  params: Record<string, string>;
  deps: ApiDeps;
  /** The parsed JSON body (size-limited); throws HttpError 400/413. */
  json(): Promise<unknown>;
  /**
   * The caller's session: 401 without a valid bearer token, 403 when `accountId` is given and is
   * not the token's account, or the role is not among `roles` (default: every role).
   */
  session(options?: { accountId?: string; roles?: readonly Role[] }): Promise<Session>;
}

export interface ApiReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (request: ApiRequest) => Promise<ApiReply> | ApiReply;

export interface Route {
  method: Method;
  /** Literal segments and `:name` parameters, e.g. `/api/accounts/:id/components/:cid/versions`. */
  pattern: string;
  handler: Handler;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

interface CompiledRoute {
  route: Route;
  segments: string[];
}

export interface Router {
  /** The route for a method and path, with its parameters; 404/405 as HttpError. */
  match(method: string, pathname: string): { route: Route; params: Record<string, string> };
}

export function createRouter(routes: readonly Route[]): Router {
  const compiled: CompiledRoute[] = routes.map((route) => ({ route, segments: route.pattern.split('/').filter(Boolean) }));
  return {
    match(method, pathname) {
      const parts = pathname.split('/').filter(Boolean);
      let pathMatched = false;
      for (const { route, segments } of compiled) {
        if (segments.length !== parts.length) continue;
        const params: Record<string, string> = {};
        let ok = true;
        for (let i = 0; i < parts.length && ok; i++) {
          const segment = segments[i]!;
          const part = parts[i]!;
          if (segment.startsWith(':')) {
            try {
              params[segment.slice(1)] = decodeURIComponent(part);
            } catch {
              ok = false;
            }
          } else ok = segment === part;
        }
        if (!ok) continue;
        pathMatched = true;
        if (route.method === method || (method === 'HEAD' && route.method === 'GET')) return { route, params };
      }
      if (pathMatched) throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${pathname}.`);
      throw new HttpError(404, 'NOT_FOUND', `No API route ${method} ${pathname}.`);
    },
  };
}
