import { isIP } from 'node:net';

/**
 * The address an anonymous caller is counted by. The socket's peer, unless the operator says
 * `trustedHops` proxies stand in front of the gateway: then the address that many entries back in
 * `X-Forwarded-For` (each trusted proxy appends the peer it saw). Entries further left are written
 * by the client and never believed, so a forged header cannot buy a fresh allowance.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, trustedHops: number): string {
  const peer = normalize(socketAddress ?? 'unknown');
  if (trustedHops === 0 || !forwardedFor) return peer;
  const chain = [...forwardedFor.split(',').map((entry) => entry.trim()), peer];
  const candidate = chain[Math.max(0, chain.length - 1 - trustedHops)]!;
  // A trusted proxy always writes an address; anything else is a forgery or a misconfiguration.
  return isIP(normalize(candidate)) ? normalize(candidate) : peer;
}

/** `::ffff:10.0.0.1` and `10.0.0.1` are one caller. */
const normalize = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
