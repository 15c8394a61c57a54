/**
 * The benchmark's baseline: the very same gateway and subgraphs with security switched off, built
 * only here and handed to `startGateway` / `launchSubgraph` as their harness-only
 * `benchmarkBaseline` argument. Client tokens are decoded and never verified, identities travel
 * as unsigned JWTs (`alg: none`) that subgraphs decode, and subgraphs run without their shield.
 * Never use any of this outside bench/: it trusts whatever a caller sends.
 */
import { decodeJwt, UnsecuredJWT, type JWTPayload } from 'jose';
import { claimsOf, IDENTITY_TOKEN_TTL_SECONDS, IdentityRejected, type Viewer, viewerFromClaims } from '#identity';
import { type BenchmarkBaseline as SubgraphBaseline } from '#kit';
import { InvalidToken } from '../gateway/src/auth/clientToken.ts';
import type { BenchmarkBaseline as GatewayBaseline } from '../gateway/src/server.ts';

/** The gateway side: an unverified decode plus the gateway's own claims mapping; unsigned identities. */
export function gatewayBaseline(rolesClaim = 'roles'): GatewayBaseline {
  return {
    async verifyClientToken(token) {
      try {
        const payload = decodeJwt(token);
        return { viewer: viewerFromClaims(payload, rolesClaim), exp: payload.exp ?? 0 };
      } catch {
        throw new InvalidToken('malformed', 'The token is malformed');
      }
    },
    signer: {
      jwks: { keys: [] },
      async sign(viewer, audience) {
        return encodeIdentity(viewer, audience);
      },
      async signOnward(viewer, target) {
        return encodeIdentity(viewer, target);
      },
      forget() {},
    },
  };
}

/** An identity the way the secure gateway says it, minus the signature. */
export function encodeIdentity(viewer: Viewer, audience: string): string {
  return new UnsecuredJWT({ ...claimsOf(viewer) })
    .setAudience(audience)
    .setIssuedAt()
    .setExpirationTime(`${IDENTITY_TOKEN_TTL_SECONDS}s`)
    .encode();
}

/** The subgraph side: the identity is decoded, never checked. */
export function subgraphBaseline(): SubgraphBaseline {
  return {
    async verifyIdentity(token) {
      if (!token) throw new IdentityRejected('missing');
      try {
        return viewerOf(decodeJwt(token));
      } catch {
        throw new IdentityRejected('malformed');
      }
    },
  };
}

function viewerOf(payload: JWTPayload): Viewer {
  const roles = Array.isArray(payload.roles) ? payload.roles.filter((role): role is string => typeof role === 'string') : [];
  return Object.freeze({
    sub: typeof payload.sub === 'string' && payload.sub !== '' ? payload.sub : null,
    email: typeof payload.email === 'string' ? payload.email : null,
    roles: Object.freeze(roles),
    scopes: Object.freeze(typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : []),
  });
}
