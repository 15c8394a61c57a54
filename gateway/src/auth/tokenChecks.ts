/**
 * What the gateway checks of a verified token on every request beyond its signature: revocation
 * and DPoP, with the stores they share across replicas and the operator's revocation endpoint.
 */
import type { RequestListener } from 'node:http';
import type { IdentitySigner } from '#identity';
import type { Logger } from '#platform';
import type { ClientAuthConfig } from '../config.ts';
import type { AuthenticateOptions } from './authenticate.ts';
import { createProofVerifier } from './dpop/proof.ts';
import { revocationAdminRoute } from './revocation/adminRoute.ts';
import { createTokenStores } from './tokenStores.ts';
import type { RedisSettings } from '../redis.ts';

export interface TokenChecks {
  readonly authenticate: Pick<AuthenticateOptions, 'isRevoked' | 'dpop' | 'cookie'>;
  /** For the internal (metrics) port only; absent without REVOCATION_ADMIN_TOKEN. */
  readonly adminRoute?: RequestListener;
  ready(): Promise<void>;
  close(): Promise<void>;
}

export function createTokenChecks(
  config: ClientAuthConfig,
  redis: RedisSettings | undefined,
  signer: IdentitySigner,
  logger: Logger,
  now?: () => Date,
): TokenChecks {
  const { tokens } = config;
  // A revoked user's cached identity tokens go at once: nothing signed for them is reused.
  const stores = createTokenStores(tokens, redis, logger, (revocation) => {
    if (revocation.sub !== undefined) signer.forget(revocation.sub);
  });
  const verifyProof = createProofVerifier({
    maxAgeSeconds: tokens.dpop.proofMaxAgeSeconds,
    clockToleranceSeconds: config.clockToleranceSeconds,
    replay: stores.replay,
    ...(now ? { now } : {}),
  });
  const maxLifetimeSeconds = config.maxAgeSeconds + config.clockToleranceSeconds;
  return {
    authenticate: {
      isRevoked: (token) => stores.revocations.isRevoked({ sub: token.viewer.sub, jti: token.jti, iat: token.iat }),
      dpop: {
        verifyProof,
        required: tokens.dpop.required,
        ...(tokens.dpop.origin ? { origin: tokens.dpop.origin } : {}),
      },
      ...(tokens.cookie ? { cookie: tokens.cookie } : {}),
    },
    ...(tokens.revocation.adminToken
      ? {
          adminRoute: revocationAdminRoute({
            adminToken: tokens.revocation.adminToken,
            revocations: stores.revocations,
            maxLifetimeSeconds,
            logger,
          }),
        }
      : {}),
    ready: () => stores.ready(),
    close: () => stores.close(),
  };
}
