import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { BodyRejected, pathOf, readJsonBody, sendJson, type Logger } from '#platform';
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
export function revocationAdminRoute(options: AdminRouteOptions): RequestListener {
  const expected = digest(options.adminToken);
  const revoke = async (req: IncomingMessage, res: ServerResponse) => {
    const presented = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!presented || !timingSafeEqual(digest(presented), expected)) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return sendJson(res, 401, { error: 'the revocation endpoint needs REVOCATION_ADMIN_TOKEN as a Bearer token' });
    }
    const body = await readJsonBody(req, 4096);
    const revocation = revocationFor(body ?? {}, Date.now() / 1000, options.maxLifetimeSeconds);
    if (typeof revocation === 'string') return sendJson(res, 400, { error: revocation });
    try {
      await options.revocations.revoke(revocation);
    } catch (error) {
      options.logger.error({ err: error }, 'revocation could not be stored');
      return sendJson(res, 503, { error: 'the revocation could not be stored; retry' });
    }
    options.logger.info({ revocation }, 'revoked');
    sendJson(res, 201, { revoked: revocation, shared: options.revocations.shared });
  };
  return (req, res) => {
    if (req.method !== 'POST' || pathOf(req.url) !== '/revocations') return sendJson(res, 404, { error: 'not found' });
    revoke(req, res).catch((error: unknown) => {
      if (res.headersSent) return res.destroy();
      if (error instanceof BodyRejected) return sendJson(res, error.status, { error: 'the body must be a small JSON object' });
      options.logger.error({ err: error }, 'revocation endpoint failed');
      sendJson(res, 500, { error: 'internal error' });
    });
  };
}

const digest = (text: string) => createHash('sha256').update(text).digest();
