import { describe, expect, it } from 'vitest';
import { TokenCache } from './tokenCache.ts';

describe('TokenCache', () => {
  it('forgets an entry at the token expiry', () => {
    let now = new Date('2026-01-01T00:00:00Z');
    const cache = new TokenCache<string>(10, () => now);
    cache.set('t', 'alice', now.getTime() / 1000 + 60);
    now = new Date(now.getTime() + 59_999);
    expect(cache.get('t')).toBe('alice');
    now = new Date(now.getTime() + 1);
    expect(cache.get('t')).toBeUndefined();
  });

  it('evicts the least recently used entry when full', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const cache = new TokenCache<number>(2, () => now);
    const later = now.getTime() / 1000 + 600;
    cache.set('a', 1, later);
    cache.set('b', 2, later);
    cache.get('a');
    cache.set('c', 3, later);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('drops the entries whose value matches, and only those', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    const cache = new TokenCache<{ sub: string }>(10, () => now);
    const later = now.getTime() / 1000 + 600;
    cache.set('a1', { sub: 'alice' }, later);
    cache.set('b1', { sub: 'bob' }, later);
    cache.set('a2', { sub: 'alice' }, later);
    cache.deleteWhere((value) => value.sub === 'alice');
    expect([cache.get('a1'), cache.get('a2'), cache.get('b1')]).toEqual([undefined, undefined, { sub: 'bob' }]);
  });
});
