import { describe, expect, it } from 'vitest';
import { clientAddress } from './clientAddress.ts';

describe('clientAddress', () => {
  it('is the socket peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    expect(clientAddress('192.0.2.10', undefined, 0)).toBe('192.0.2.10');
    expect(clientAddress('192.0.2.10', '203.0.113.9', 0)).toBe('192.0.2.10');
  });

  it('takes the entry the trusted proxies appended, counting hops from the socket', () => {
    // client -> proxy A (appends client) -> proxy B (appends A) -> gateway (socket: B)
    const forwardedFor = '198.51.100.1, 10.0.0.1';
    expect(clientAddress('10.0.0.2', forwardedFor, 1)).toBe('10.0.0.1');
    expect(clientAddress('10.0.0.2', forwardedFor, 2)).toBe('198.51.100.1');
  });

  it('never believes entries a client prepended', () => {
    expect(clientAddress('10.0.0.2', '6.6.6.6, 198.51.100.1', 1)).toBe('198.51.100.1');
  });

  it('stops at the leftmost entry when more hops are trusted than there are entries', () => {
    expect(clientAddress('10.0.0.2', '198.51.100.1', 5)).toBe('198.51.100.1');
  });

  it('falls back to the peer when the believed entry is not an address', () => {
    expect(clientAddress('10.0.0.2', 'not-an-ip', 1)).toBe('10.0.0.2');
    expect(clientAddress('10.0.0.2', '', 1)).toBe('10.0.0.2');
  });

  it('treats an IPv4-mapped IPv6 peer as the IPv4 address', () => {
    expect(clientAddress('::ffff:192.0.2.10', undefined, 0)).toBe('192.0.2.10');
  });

  it('counts IPv6 callers by their /64 network, however the address is written', () => {
    expect(clientAddress('2001:db8:1:2:3:4:5:6', undefined, 0)).toBe('2001:db8:1:2::/64');
    expect(clientAddress('2001:0db8:0001:0002:ffff::1', undefined, 0)).toBe('2001:db8:1:2::/64');
    expect(clientAddress('2001:db8::1', undefined, 0)).toBe('2001:db8:0:0::/64');
    expect(clientAddress('::1', undefined, 0)).toBe('0:0:0:0::/64');
    expect(clientAddress('10.0.0.2', '2001:db8:1:2::9', 1)).toBe('2001:db8:1:2::/64');
  });
});
