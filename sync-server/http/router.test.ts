import { expect, test } from 'vitest';
import { createRouter, HttpError, type Route } from './router.ts';

const route = (method: Route['method'], pattern: string): Route => ({ method, pattern, handler: () => ({ status: 200 }) });

test('matches literal segments and parameters, decoding them', () => {
  const versions = route('POST', '/api/accounts/:id/components/:cid/versions');
  const router = createRouter([route('GET', '/api/me'), versions]);
  expect(router.match('POST', '/api/accounts/de%20mo/components/c1/versions')).toEqual({
    route: versions,
    params: { id: 'de mo', cid: 'c1' },
  });
  expect(router.match('HEAD', '/api/me').route.pattern).toBe('/api/me');
});

test('404 for an unknown path, 405 for a known path with another method', () => {
  const router = createRouter([route('GET', '/api/me')]);
  const statusOf = (method: string, path: string) => {
    try {
      router.match(method, path);
      return 200;
    } catch (error) {
      return error instanceof HttpError ? error.status : 0;
    }
  };
  expect(statusOf('GET', '/api/you')).toBe(404);
  expect(statusOf('POST', '/api/me')).toBe(405);
  expect(statusOf('GET', '/api/me/extra')).toBe(404);
});
