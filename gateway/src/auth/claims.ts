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

/** C0 and C1 control characters and DEL: NUL, escape sequences, line breaks that would forge log lines. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f-\u009f]/;

function printable(value: string, claim: string): string {
  if (CONTROL_CHARACTER.test(value)) throw new ClaimsRejected(`The ${claim} claim must not contain control characters`);
  return value;
}

function rolesFrom(value: unknown, claim: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.some((role) => typeof role !== 'string')) {
    throw new ClaimsRejected(`The ${claim} claim must be an array of strings`);
  }
  return [...new Set((value as string[]).map((role) => printable(role, claim)))];
}

/** OAuth scopes: the standard space-separated `scope`, or the `scp` array some providers send. */
function scopesFrom(payload: JWTPayload): string[] {
  if (typeof payload.scope === 'string') return printable(payload.scope, 'scope').split(' ').filter(Boolean);
  if (Array.isArray(payload.scp)) {
    return payload.scp.filter((scope): scope is string => typeof scope === 'string').map((scope) => printable(scope, 'scp'));
  }
  return [];
}

export function viewerFromClaims(payload: JWTPayload, rolesClaim: string): Viewer {
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new ClaimsRejected('The token has no subject');
  return Object.freeze({
    sub: printable(payload.sub, 'sub'),
    email: typeof payload.email === 'string' ? printable(payload.email, 'email') : null,
    roles: Object.freeze(rolesFrom(readClaim(payload, rolesClaim), rolesClaim)),
    scopes: Object.freeze(scopesFrom(payload)),
  });
}
