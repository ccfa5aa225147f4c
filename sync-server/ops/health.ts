/**
 * /healthz (the process answers), /readyz (the store answers a read and the auto-apply scheduler
 * runs; 503 with the reason otherwise, also while the server is stopping) and /metrics
 * (Prometheus text; behind a bearer token when METRICS_TOKEN is set).
 */
import { timingSafeEqual } from 'node:crypto';
import * as v from 'valibot';
import { type AnyRoute, defineRoute } from '../http/route.ts';
import type { Store } from '../storage/types.ts';
import type { ServerMetrics } from './metrics.ts';
import type { ScheduleState, ScheduleWatch } from './schedule-watch.ts';

export interface Readiness {
  ready: boolean;
  /** Why not, for a person. */
  reason?: string;
  store: 'ok' | 'unreachable';
  scheduler: ScheduleState;
  schedulerLagSeconds: number;
}

export interface HealthDeps {
  store: Store;
  schedule: ScheduleWatch;
  metrics: ServerMetrics;
  stopping(): boolean;
  /** A store that has not answered in this long is unreachable. */
  storeTimeoutMs?: number;
  /** When set, /metrics wants `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
}

const SCHEDULER_NOT_RUNNING: Record<Exclude<ScheduleState, 'running' | 'waiting'>, string> = {
  off: 'the auto-apply scheduler is off',
  stopped: 'the auto-apply scheduler has stopped',
};

/** Checks readiness; concurrent checks share one store probe. */
export function createReadinessCheck(deps: HealthDeps): () => Promise<Readiness> {
  const timeoutMs = deps.storeTimeoutMs ?? 2_000;
  let probing: Promise<string | undefined> | undefined;
  const probeStore = (): Promise<string | undefined> =>
    (probing ??= (async () => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const late = new Promise<string>((resolve) => {
        timer = setTimeout(() => resolve(`the store did not answer within ${timeoutMs} ms`), timeoutMs);
      });
      try {
        // Any read will do; an id no account has keeps it to one index lookup.
        const read = deps.store.accounts.getAccount('readyz-probe').then(
          () => undefined,
          (error: unknown) => `the store did not answer: ${error instanceof Error ? error.message : String(error)}`,
        );
        return await Promise.race([read, late]);
      } finally {
        clearTimeout(timer);
        probing = undefined;
      }
    })());

  return async () => {
    const storeProblem = await probeStore();
    const scheduler = deps.schedule.state();
    const reason = deps.stopping()
      ? 'the server is stopping'
      : (storeProblem ?? (scheduler === 'running' || scheduler === 'waiting' ? undefined : SCHEDULER_NOT_RUNNING[scheduler]));
    return {
      ready: reason === undefined,
      ...(reason === undefined ? {} : { reason }),
      store: storeProblem ? 'unreachable' : 'ok',
      scheduler,
      schedulerLagSeconds: deps.schedule.lagSeconds(),
    };
  };
}

const ReadinessSchema = v.object({
  ready: v.boolean(),
  reason: v.optional(v.string()),
  store: v.picklist(['ok', 'unreachable']),
  scheduler: v.picklist(['off', 'running', 'waiting', 'stopped']),
  schedulerLagSeconds: v.number(),
});

const sameSecret = (given: string, wanted: string) => {
  const a = Buffer.from(given);
  const b = Buffer.from(wanted);
  return a.length === b.length && timingSafeEqual(a, b);
};

export function healthRoutes(deps: HealthDeps): AnyRoute[] {
  const readiness = createReadinessCheck(deps);
  const noStore = { 'cache-control': 'no-store' };
  return [
    defineRoute({
      method: 'GET',
      url: '/healthz',
      summary: 'The process is alive (liveness)',
      tag: 'Operations',
      responses: { 200: { description: 'Alive', schema: v.object({ status: v.literal('ok') }) } },
      handler: () => ({ status: 200, body: { status: 'ok' }, headers: noStore }),
    }),
    defineRoute({
      method: 'GET',
      url: '/readyz',
      summary: 'The store answers and the auto-apply scheduler runs (readiness)',
      tag: 'Operations',
      responses: {
        200: { description: 'Ready', schema: ReadinessSchema },
        503: { description: 'Not ready; `reason` says why', schema: ReadinessSchema },
      },
      handler: async () => {
        const body = await readiness();
        return { status: body.ready ? 200 : 503, body, headers: noStore };
      },
    }),
    defineRoute({
      method: 'GET',
      url: '/metrics',
      summary: 'Prometheus metrics (text exposition format)',
      tag: 'Operations',
      responses: { 200: { description: 'The metrics', contentType: 'text/plain' } },
      handler: async ({ req }) => {
        if (deps.metricsToken !== undefined) {
          const given = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
          if (!sameSecret(given, deps.metricsToken))
            return {
              status: 401,
              body: { error: { code: 'UNAUTHORIZED', message: 'Send Authorization: Bearer <METRICS_TOKEN>.' } },
              headers: { 'www-authenticate': 'Bearer', ...noStore },
            };
        }
        return {
          status: 200,
          text: await deps.metrics.registry.metrics(),
          headers: { 'content-type': deps.metrics.registry.contentType, ...noStore },
        };
      },
    }),
  ];
}
