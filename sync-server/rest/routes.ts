/** The REST API in the platform's shape, under /api/rest/v1/{accountId}/{Object}. */
import type { AnyRoute } from '../http/route.ts';
import { managedRoutes } from './managed.ts';
import { publisherPackRoutes } from './publisher-packs.ts';
import { releaseRoutes } from './releases.ts';

export const restRoutes: AnyRoute[] = [...publisherPackRoutes, ...releaseRoutes, ...managedRoutes];
