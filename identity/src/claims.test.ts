import { describe, expect, it } from 'vitest';
import { readClaim, viewerFromClaims } from './claims.ts';

describe('viewerFromClaims', () => {
  it('maps sub, email, roles and scope', () => {
    const viewer = viewerFromClaims({ sub: 'ada', email: 'ada@example.com', roles: ['admin'], scope: 'read write' }, 'roles');
    expect(viewer).toEqual({ sub: 'ada', email: 'ada@example.com', roles: ['admin'], scopes: ['read', 'write'] });
  });

  it('reads Keycloak roles by dotted path', () => {
    const viewer = viewerFromClaims({ sub: 'kc', realm_access: { roles: ['warehouse_staff'] } }, 'realm_access.roles');
    expect(viewer.roles).toEqual(['warehouse_staff']);
  });

  it('reads a namespaced claim whose name holds dots (Auth0)', () => {
    const claim = 'https://example.com/roles';
    expect(viewerFromClaims({ sub: 'a0', [claim]: ['admin'] }, claim).roles).toEqual(['admin']);
  });

  it('treats a missing roles claim as no roles: a customer', () => {
    expect(viewerFromClaims({ sub: 'alice' }, 'roles').roles).toEqual([]);
  });

  it.each([[['admin', 7]], [{ admin: true }], [7]])('refuses roles that are neither strings nor a string: %j', (roles) => {
    expect(() => viewerFromClaims({ sub: 'x', roles }, 'roles')).toThrow('must be an array of strings');
  });

  it('reads roles written as one space-separated string', () => {
    expect(viewerFromClaims({ sub: 'x', roles: ' admin  warehouse_staff ' }, 'roles').roles).toEqual([
      'admin',
      'warehouse_staff',
    ]);
  });

  it('reads Azure AD app roles (roles) and group ids (groups) alike', () => {
    const payload = { sub: 'az', roles: ['payment_processor'], groups: ['0f6b2c1e-group'] };
    expect(viewerFromClaims(payload, 'roles').roles).toEqual(['payment_processor']);
    expect(viewerFromClaims(payload, 'groups').roles).toEqual(['0f6b2c1e-group']);
  });

  it('refuses a token without a subject', () => {
    expect(() => viewerFromClaims({ roles: [] }, 'roles')).toThrow('no subject');
  });

  it('takes scopes from an scp array too', () => {
    expect(viewerFromClaims({ sub: 'x', scp: ['a', 'b', 3] }, 'roles').scopes).toEqual(['a', 'b']);
  });

  it('does not walk into inherited properties', () => {
    expect(readClaim({ sub: 'x' }, 'constructor.name')).toBeUndefined();
  });
});

describe('control characters', () => {
  it.each([
    [{ sub: 'ada\u0000' }],
    [{ sub: 'ada', email: 'ada@example.com\r\nx: y' }],
    [{ sub: 'ada', roles: ['admin\u001b'] }],
    [{ sub: 'ada', scope: 'read\u0085write' }],
  ])('are refused as bad claims: %j', (payload) => {
    expect(() => viewerFromClaims(payload, 'roles')).toThrow('must not contain control characters');
  });

  it('leave printable text outside ASCII alone', () => {
    expect(viewerFromClaims({ sub: 'zoë', email: 'zoë@example.com', roles: ['ärzte'] }, 'roles').sub).toBe('zoë');
  });
});
