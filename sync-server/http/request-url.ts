import type { IncomingMessage } from 'node:http';

/** The request's URL, or undefined when its target does not parse (e.g. `GET http://[`): never throws. */
export function requestUrl(req: IncomingMessage): URL | undefined {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return undefined;
  }
}
