/**
 * What the Authorization header says: a Bearer token (RFC 6750) or a DPoP-bound one (RFC 9449
 * section 7.1); schemes are case-insensitive (RFC 7235).
 */
export type Credentials =
  { kind: 'none' } | { kind: 'bearer'; token: string } | { kind: 'dpop'; token: string } | { kind: 'malformed' };

const TOKEN68 = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*) *$/i;

export function readCredentials(header: string | undefined): Credentials {
  if (header === undefined) return { kind: 'none' };
  const match = TOKEN68.exec(header);
  if (!match) return { kind: 'malformed' };
  return { kind: match[1]!.toLowerCase() === 'dpop' ? 'dpop' : 'bearer', token: match[2]! };
}
