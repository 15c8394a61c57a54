/** What the Authorization header says, per RFC 6750 (the scheme is case-insensitive, RFC 7235). */
export type Credentials = { kind: 'none' } | { kind: 'bearer'; token: string } | { kind: 'malformed' };

const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

export function readCredentials(header: string | undefined): Credentials {
  if (header === undefined) return { kind: 'none' };
  const match = BEARER.exec(header);
  return match ? { kind: 'bearer', token: match[1]! } : { kind: 'malformed' };
}
