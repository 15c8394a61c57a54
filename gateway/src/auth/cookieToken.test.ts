import type { Request } from 'express';
import { describe, expect, it } from 'vitest';
import { provesNoForgery, readCookieToken } from './cookieToken.ts';

const request = (headers: Record<string, string>) =>
  ({ get: (name: string) => headers[name.toLowerCase()] }) as unknown as Request;

describe('readCookieToken', () => {
  it('finds the named cookie among others', () => {
    expect(readCookieToken(request({ cookie: 'theme=dark; access_token=abc.def.ghi; x=1' }), 'access_token')).toEqual({
      kind: 'token',
      token: 'abc.def.ghi',
    });
  });

  it('does not take a cookie whose name merely ends with the configured one', () => {
    expect(readCookieToken(request({ cookie: 'not_access_token=abc' }), 'access_token')).toEqual({ kind: 'none' });
  });

  it('calls the same cookie sent twice ambiguous', () => {
    expect(readCookieToken(request({ cookie: 'access_token=a; access_token=b' }), 'access_token')).toEqual({ kind: 'ambiguous' });
  });
});

describe('provesNoForgery', () => {
  it.each([
    [{ 'apollo-require-preflight': 'true' }, true],
    [{ 'x-apollo-operation-name': 'Orders' }, true],
    [{ 'content-type': 'application/json' }, true],
    [{ 'content-type': 'text/plain;charset=utf-8' }, false],
    [{ 'content-type': 'application/x-www-form-urlencoded' }, false],
    [{ 'content-type': 'Multipart/Form-Data; boundary=x' }, false],
    [{}, false],
  ])('%j: %s', (headers, proves) => {
    expect(provesNoForgery(request(headers))).toBe(proves);
  });
});
