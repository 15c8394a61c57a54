import type { Express, RequestHandler, Response } from 'express';
import { sendGraphQLError } from '#platform';
import { SERVICE_UNAVAILABLE } from './propagation/IdentityDataSource.ts';

/** Seconds a refused client is asked to wait before trying again. */
const RETRY_AFTER_SECONDS = 1;

export interface AdmissionOptions {
  maxConcurrentRequests: number;
  /** The whole-request deadline (`REQUEST_TIMEOUT_MS`), stamped on each admitted request. */
  requestTimeoutMs: number;
}

export interface Admission {
  /** In front of `/graphql`, mounted before the server listens. */
  readonly gate: RequestHandler;
  /** The supergraph is loaded and the GraphQL routes are in place. */
  markReady(): void;
  /** Shutdown began: readiness says 503 so a balancer sends traffic elsewhere. */
  markDraining(): void;
  readonly ready: boolean;
}

/**
 * Decides, before any work, whether a request is served: not before the gateway is ready, and not
 * beyond `maxConcurrentRequests` at once. A refused client hears so at once (JSON 503 with
 * `Retry-After`) instead of waiting behind a burst or meeting Express's HTML 404 during start-up.
 * Admitted requests get their deadline in `res.locals.deadline`.
 */
export function createAdmission(options: AdmissionOptions): Admission {
  let ready = false;
  let draining = false;
  let inFlight = 0;
  const gate: RequestHandler = (_req, res, next) => {
    if (!ready) return refuse(res, 'The gateway is starting; retry shortly');
    if (inFlight >= options.maxConcurrentRequests) return refuse(res, 'The gateway is at capacity; retry shortly');
    inFlight += 1;
    res.once('close', () => (inFlight -= 1));
    res.locals.deadline = Date.now() + options.requestTimeoutMs;
    next();
  };
  return {
    gate,
    markReady: () => void (ready = true),
    markDraining: () => void (draining = true),
    get ready() {
      return ready && !draining;
    },
  };
}

function refuse(res: Response, message: string): void {
  res.set('retry-after', String(RETRY_AFTER_SECONDS));
  sendGraphQLError(res, 503, message, SERVICE_UNAVAILABLE);
}

/**
 * `/health/live` says the process runs; `/health/ready` (and `/health`, the contract's name for
 * it) says it can serve: supergraph loaded, not draining.
 */
export function mountHealthRoutes(app: Express, admission: Admission): void {
  const readiness: RequestHandler = (_req, res) =>
    void res.status(admission.ready ? 200 : 503).json({ status: admission.ready ? 'ok' : 'unavailable' });
  app.get('/health/live', (_req, res) => void res.json({ status: 'ok' }));
  app.get('/health/ready', readiness);
  app.get('/health', readiness);
}
