import type { JWTPayload } from 'jose';
import type { Viewer } from './protocol.ts';

export class ClaimsRejected extends Error {}

/** The roles claim of identity tokens: the gateway writes there what it read at the client's roles claim. */
const IDENTITY_ROLES_CLAIM = 'roles';

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

/** Roles as an array of strings, or one space-separated string (the way `scope` is written). */
function rolesFrom(value: unknown, claim: string): string[] {
  if (value === undefined) return [];
  const roles = typeof value === 'string' ? value.split(' ').filter(Boolean) : value;
  if (!Array.isArray(roles) || roles.some((role) => typeof role !== 'string')) {
    throw new ClaimsRejected(`The ${claim} claim must be an array of strings or a space-separated string`);
  }
  return [...new Set((roles as string[]).map((role) => printable(role, claim)))];
}

/** OAuth scopes: the standard space-separated `scope`, or the `scp` array some providers send. */
function scopesFrom(payload: JWTPayload): string[] {
  if (typeof payload.scope === 'string') return printable(payload.scope, 'scope').split(' ').filter(Boolean);
  if (Array.isArray(payload.scp)) {
    return payload.scp.filter((scope): scope is string => typeof scope === 'string').map((scope) => printable(scope, 'scp'));
  }
  return [];
}

/** A client token's claims as a viewer: it must name a subject; roles are read at `rolesClaim`. */
export function viewerFromClaims(payload: JWTPayload, rolesClaim: string): Viewer {
  if (typeof payload.sub !== 'string' || payload.sub === '') throw new ClaimsRejected('The token has no subject');
  return readViewer(payload, rolesClaim);
}

/** An identity token's claims (as `claimsOf` wrote them) as a viewer; no subject is an anonymous caller. */
export function viewerFromIdentityClaims(payload: JWTPayload): Viewer {
  if (payload.sub !== undefined && (typeof payload.sub !== 'string' || payload.sub === '')) {
    throw new ClaimsRejected('The token has a malformed subject');
  }
  return readViewer(payload, IDENTITY_ROLES_CLAIM);
}

function readViewer(payload: JWTPayload, rolesClaim: string): Viewer {
  return Object.freeze({
    sub: payload.sub === undefined ? null : printable(payload.sub, 'sub'),
    email: typeof payload.email === 'string' ? printable(payload.email, 'email') : null,
    roles: Object.freeze(rolesFrom(readClaim(payload, rolesClaim), rolesClaim)),
    scopes: Object.freeze(scopesFrom(payload)),
  });
}

export interface IdentityClaims {
  sub?: string;
  email?: string;
  roles: string[];
  scope?: string;
}

/** What an identity token says of its viewer: the inverse of `viewerFromIdentityClaims`. */
export function claimsOf(viewer: Viewer): IdentityClaims {
  return {
    ...(viewer.sub === null ? {} : { sub: viewer.sub }),
    ...(viewer.email === null ? {} : { email: viewer.email }),
    [IDENTITY_ROLES_CLAIM]: [...viewer.roles],
    ...(viewer.scopes.length > 0 ? { scope: viewer.scopes.join(' ') } : {}),
  };
}
