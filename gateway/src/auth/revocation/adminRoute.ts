import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type ErrorRequestHandler, type Router } from 'express';
import type { Logger } from '#platform';
import { revocationFor } from './revocationRequest.ts';
import type { Revocations } from './revocations.ts';

export interface AdminRouteOptions {
  /** REVOCATION_ADMIN_TOKEN: the bearer secret an operator's tooling sends. */
  adminToken: string;
  revocations: Revocations;
  maxLifetimeSeconds: number;
  logger: Logger;
}

/**
 * `POST /revocations` with `{"jti": ..., "exp": ...}` or `{"sub": ...}`: mounted on the internal
 * metrics port only, never beside GraphQL, and behind its own secret.
 */
export function revocationAdminRoute(options: AdminRouteOptions): Router {
  const router = express.Router();
  const expected = digest(options.adminToken);
  router.post('/revocations', express.json({ limit: 4096 }), async (req, res) => {
    const presented = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '')?.[1];
    if (!presented || !timingSafeEqual(digest(presented), expected)) {
      res.set('WWW-Authenticate', 'Bearer');
      return void res.status(401).json({ error: 'the revocation endpoint needs REVOCATION_ADMIN_TOKEN as a Bearer token' });
    }
    const revocation = revocationFor(req.body ?? {}, Date.now() / 1000, options.maxLifetimeSeconds);
    if (typeof revocation === 'string') return void res.status(400).json({ error: revocation });
    try {
      await options.revocations.revoke(revocation);
    } catch (error) {
      options.logger.error({ err: error }, 'revocation could not be stored');
      return void res.status(503).json({ error: 'the revocation could not be stored; retry' });
    }
    options.logger.info({ revocation }, 'revoked');
    res.status(201).json({ revoked: revocation, shared: options.revocations.shared });
  });
  // Express would answer a malformed body with an HTML page holding a stack trace.
  router.use('/revocations', ((error, _req, res, next) => {
    if (res.headersSent) return next(error);
    const status = typeof error?.status === 'number' && error.status < 500 ? error.status : 500;
    res.status(status).json({ error: status < 500 ? 'the body must be a small JSON object' : 'internal error' });
  }) as ErrorRequestHandler);
  return router;
}

const digest = (text: string) => createHash('sha256').update(text).digest();
