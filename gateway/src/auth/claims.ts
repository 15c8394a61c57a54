import type { JWTPayload } from 'jose';
import type { Viewer } from '#kit';

export class ClaimsRejected extends Error {}

/**
 * Reads a claim by name, or by dotted path for nested claims (Keycloak's `realm_access.roles`).
 * An exact name wins, so namespaced claims such as `https://example.com/roles` work too.
 */
export function readClaim(payload: JWTPayload, path: string): unknown {
  if (path in payload) return payload[path];
  let value: unknown = payload;
  for (const segment of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, segment)) return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

function rolesFrom(value: unknown, claim: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((role) => typeof role !== 'string')) {
    throw new ClaimsRejected(`The ${claim} claim must be an array of strings`);
  }
  return [...new Set(value as string[])];
}

/** OAuth scopes: the standard space-separated `scope`, or the `scp` array some providers send. */
function scopesFrom(payload: JWTPayload): string[] {
  if (typeof payload.scope === 'string') return payload.scope.split(' ').filter(Boolean);
  if (Array.isArray(payload.scp)) return payload.scp.filter((scope): scope is string => typeof scope === 'string');
  return [];
}

export function viewerFromClaims(payload: JWTPayload, rolesClaim: string): Viewer {
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new ClaimsRejected('The token has no subject');
  return Object.freeze({
    sub: payload.sub,
    email: typeof payload.email === 'string' ? payload.email : null,
    roles: Object.freeze(rolesFrom(readClaim(payload, rolesClaim), rolesClaim)),
    scopes: Object.freeze(scopesFrom(payload)),
  });
}
