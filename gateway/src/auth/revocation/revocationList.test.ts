import { describe, expect, it } from 'vitest';
import { RevocationList } from './revocationList.ts';

const NOW = 1_800_000_000;

describe('RevocationList', () => {
  it('refuses a revoked jti until the token would have expired, and nothing else', () => {
    let now = NOW;
    const list = new RevocationList(() => now);
    list.add({ kind: 'token', jti: 'j1', until: NOW + 60 });
    expect(list.isRevoked({ sub: 'alice', jti: 'j1', iat: NOW - 10 })).toBe(true);
    expect(list.isRevoked({ sub: 'alice', jti: 'j2', iat: NOW - 10 })).toBe(false);
    now = NOW + 60;
    list.prune();
    expect(list.size).toBe(0);
  });

  it("refuses a subject's tokens issued before the revocation, and lets newer ones in", () => {
    const list = new RevocationList(() => NOW);
    list.add({ kind: 'subject', sub: 'alice', notBefore: NOW - 5, until: NOW + 3600 });
    expect(list.isRevoked({ sub: 'alice', iat: NOW - 6 })).toBe(true);
    expect(list.isRevoked({ sub: 'alice', iat: NOW - 5 })).toBe(false);
    expect(list.isRevoked({ sub: 'bob', iat: NOW - 6 })).toBe(false);
    expect(list.isRevoked({ sub: null, iat: NOW - 6 })).toBe(false);
  });

  it("refuses a revoked subject's token that carries no iat: it cannot show it is newer", () => {
    const list = new RevocationList(() => NOW);
    list.add({ kind: 'subject', sub: 'alice', notBefore: NOW, until: NOW + 3600 });
    expect(list.isRevoked({ sub: 'alice' })).toBe(true);
  });

  it('only ever widens: an older revocation arriving late does not undo a newer one', () => {
    const list = new RevocationList(() => NOW);
    list.add({ kind: 'subject', sub: 'alice', notBefore: NOW, until: NOW + 3600 });
    list.add({ kind: 'subject', sub: 'alice', notBefore: NOW - 100, until: NOW + 100 });
    expect(list.isRevoked({ sub: 'alice', iat: NOW - 50 })).toBe(true);
  });

  it('forgets a subject revocation once no token it covers can still be valid', () => {
    let now = NOW;
    const list = new RevocationList(() => now);
    list.add({ kind: 'subject', sub: 'alice', notBefore: NOW, until: NOW + 10 });
    now = NOW + 10;
    expect(list.isRevoked({ sub: 'alice', iat: NOW - 1 })).toBe(false);
  });
});
