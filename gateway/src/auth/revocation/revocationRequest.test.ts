import { describe, expect, it } from 'vitest';
import { revocationFor } from './revocationRequest.ts';

const NOW = 1_800_000_000;
const LIFETIME = 86_400;

describe('revocationFor', () => {
  it('keeps a token revocation until the token expires', () => {
    expect(revocationFor({ jti: 'j1', exp: NOW + 300 }, NOW, LIFETIME)).toEqual({ kind: 'token', jti: 'j1', until: NOW + 300 });
  });

  it('keeps it no longer than the longest a token may live, with or without an exp', () => {
    expect(revocationFor({ jti: 'j1', exp: NOW + 10 * LIFETIME }, NOW, LIFETIME)).toMatchObject({ until: NOW + LIFETIME });
    expect(revocationFor({ jti: 'j1', sub: 'alice' }, NOW, LIFETIME)).toMatchObject({ until: NOW + LIFETIME, sub: 'alice' });
  });

  it('revokes a subject from now on, for as long as a token issued before can live', () => {
    expect(revocationFor({ sub: 'alice' }, NOW, LIFETIME)).toEqual({
      kind: 'subject',
      sub: 'alice',
      notBefore: NOW,
      until: NOW + LIFETIME,
    });
  });

  it.each([
    [{}, 'name a token'],
    [{ jti: '' }, 'jti must be'],
    [{ jti: 7 }, 'jti must be'],
    [{ jti: 'j', exp: 'soon' }, 'exp must be'],
    [{ jti: 'j', exp: NOW - 1 }, 'already expired'],
    [{ sub: ['alice'] }, 'sub must be'],
  ])('explains what is wrong with %j', (request, message) => {
    expect(revocationFor(request, NOW, LIFETIME)).toContain(message);
  });
});
