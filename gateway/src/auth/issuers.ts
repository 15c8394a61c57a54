import { decodeJwt } from 'jose';
import type { ClientAuthConfig, ClientKeyConfig } from '../config.ts';
import { InvalidToken } from './invalidToken.ts';

/** One issuer the gateway trusts: how its tokens are verified and read. */
export interface IssuerEntry {
  /** Absent only for the single-issuer set-up without JWT_ISSUER: any `iss` is then accepted. */
  issuer?: string;
  key: ClientKeyConfig;
  audiences?: string[];
  algorithms?: string[];
  rolesClaim: string;
}

/** JWT_ISSUERS when set, else the single issuer of JWT_SECRET / JWT_PUBLIC_KEY / JWT_JWKS_URL. */
export function issuerEntries(config: ClientAuthConfig): IssuerEntry[] {
  if (config.tokens.issuers) return config.tokens.issuers;
  return [
    {
      ...(config.issuer ? { issuer: config.issuer } : {}),
      key: config.key,
      ...(config.audience ? { audiences: [config.audience] } : {}),
      ...(config.algorithms ? { algorithms: config.algorithms } : {}),
      rolesClaim: config.rolesClaim,
    },
  ];
}

/**
 * The entry the token's own `iss` names, chosen before any key is tried: a token is only ever
 * checked against its issuer's keys, audiences and algorithms, so one issuer's key can never
 * vouch for a token claiming to come from another.
 */
export function pickIssuer<Entry extends IssuerEntry>(entries: readonly Entry[], token: string): Entry {
  if (entries.length === 1 && entries[0]!.issuer === undefined) return entries[0]!;
  let iss: unknown;
  try {
    iss = decodeJwt(token).iss;
  } catch {
    throw new InvalidToken('malformed', 'The token is malformed');
  }
  const entry = typeof iss === 'string' ? entries.find((candidate) => candidate.issuer === iss) : undefined;
  if (!entry) throw new InvalidToken('issuer', 'The token has the wrong issuer');
  return entry;
}
