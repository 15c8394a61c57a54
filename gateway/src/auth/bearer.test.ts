import { describe, expect, it } from 'vitest';
import { readCredentials } from './bearer.ts';

describe('readCredentials', () => {
  it('finds no credentials when there is no header', () => {
    expect(readCredentials(undefined)).toEqual({ kind: 'none' });
  });

  it.each(['Bearer abc.def.ghi', 'bearer abc.def.ghi', 'BEARER abc.def.ghi'])('reads %s', (header) => {
    expect(readCredentials(header)).toEqual({ kind: 'bearer', token: 'abc.def.ghi' });
  });

  it.each(['DPoP abc.def.ghi', 'dpop abc.def.ghi'])('reads %s as a DPoP-bound token', (header) => {
    expect(readCredentials(header)).toEqual({ kind: 'dpop', token: 'abc.def.ghi' });
  });

  it.each(['', 'Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'abc.def.ghi', 'Bearer a b', 'Bearer "x"', 'DPoP', 'DPoPx abc'])(
    'calls %j malformed, never anonymous',
    (header) => {
      expect(readCredentials(header)).toEqual({ kind: 'malformed' });
    },
  );
});
