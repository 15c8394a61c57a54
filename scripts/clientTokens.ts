import { SignJWT } from 'jose';
import { DEV_CLIENT_AUTH } from '../gateway/src/auth/devClientAuth.ts';

export interface TokenRequest {
  sub: string;
  roles?: string[];
  email?: string;
  /** A jose time span such as `1h` or `15m`. */
  expiresIn?: string;
  /** A token id, for revoking this one token. */
  jti?: string;
}

/**
 * A client token the local gateway accepts: `JWT_SECRET`/`JWT_ISSUER`/`JWT_AUDIENCE` or the dev
 * ones, with the roles where `JWT_ROLES_CLAIM` tells the gateway to read them.
 */
export function mintClientToken(request: TokenRequest, env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.JWT_PUBLIC_KEY || env.JWT_JWKS_URL) {
    throw new Error('The gateway verifies tokens from an external identity provider: get a token there');
  }
  const secret = env.JWT_SECRET ?? DEV_CLIENT_AUTH.secret;
  const issuer = env.JWT_ISSUER ?? (env.JWT_SECRET ? undefined : DEV_CLIENT_AUTH.issuer);
  const claims = {
    ...rolesClaim(env.JWT_ROLES_CLAIM || 'roles', request.roles ?? []),
    ...(request.email ? { email: request.email } : {}),
  };
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(request.sub)
    .setIssuedAt()
    .setExpirationTime(request.expiresIn ?? '1h');
  if (request.jti) jwt.setJti(request.jti);
  if (issuer) jwt.setIssuer(issuer);
  if (env.JWT_AUDIENCE) jwt.setAudience(env.JWT_AUDIENCE);
  return jwt.sign(new TextEncoder().encode(secret));
}

/** `realm_access.roles` nests (`{ realm_access: { roles } }`), as the gateway reads a dotted path. */
function rolesClaim(path: string, roles: string[]): Record<string, unknown> {
  return path.split('.').reduceRight<unknown>((value, segment) => ({ [segment]: value }), roles) as Record<string, unknown>;
}

export const DEMO_USERS: readonly TokenRequest[] = [
  { sub: 'alice', roles: [] },
  { sub: 'bob', roles: [] },
  { sub: 'wendy', roles: ['warehouse_staff'] },
  { sub: 'paula', roles: ['payment_processor'] },
  { sub: 'ada', roles: ['admin'] },
];
