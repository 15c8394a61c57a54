import { isIP } from 'node:net';

/**
 * The address an anonymous caller is counted by: an IPv4 address, or the /64 network of an IPv6
 * one (one subscriber typically holds a whole /64, so counting single IPv6 addresses would give
 * each caller 2^64 allowances). The socket's peer, unless the operator says
 * `trustedHops` proxies stand in front of the gateway: then the address that many entries back in
 * `X-Forwarded-For` (each trusted proxy appends the peer it saw). Entries further left are written
 * by the client and never believed, so a forged header cannot buy a fresh allowance.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | undefined, trustedHops: number): string {
  const peer = callerKey(socketAddress ?? 'unknown');
  if (trustedHops === 0 || !forwardedFor) return peer;
  const chain = [...forwardedFor.split(',').map((entry) => entry.trim()), socketAddress ?? 'unknown'];
  const candidate = chain[Math.max(0, chain.length - 1 - trustedHops)]!;
  // A trusted proxy always writes an address; anything else is a forgery or a misconfiguration.
  return isIP(unmapped(candidate)) ? callerKey(candidate) : peer;
}

function callerKey(address: string): string {
  const plain = unmapped(address);
  return isIP(plain) === 6 ? ipv6Network64(plain) : plain;
}

/** `::ffff:10.0.0.1` and `10.0.0.1` are one caller. */
const unmapped = (address: string) => address.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');

/** `2001:db8:1:2:3:4:5:6` -> `2001:db8:1:2::/64`, expanding `::` first. */
function ipv6Network64(address: string): string {
  const groups = (part: string) => (part ? part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group])) : []);
  const [head = '', tail] = address.split('::');
  const known = groups(head);
  const all =
    tail === undefined ? known : [...known, ...Array(8 - known.length - groups(tail).length).fill('0'), ...groups(tail)];
  return `${all
    .slice(0, 4)
    .map((group) => parseInt(group, 16).toString(16))
    .join(':')}::/64`;
}
