/**
 * Role names come from the client's token: they are data, never keys into an object's prototype.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { permissionsOf, type PermissionCatalogue } from './authorization.ts';
import { viewer } from '#identity/testing';

/** Names every plain object answers through its prototype. */
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);

/** Any string, with the prototype's names and the catalogue's own roles drawn often. */
const roleName = (known: readonly string[] = []) => fc.oneof(fc.string(), fc.constantFrom(...PROTOTYPE_NAMES, ...known));

/** What a catalogue grants `roles` when only its own entries count: the expected answer. */
function grantedByOwnEntries(catalogue: PermissionCatalogue<string>, roles: readonly string[]): string[] {
  const granted = new Set(catalogue.signedIn);
  for (const [role, permissions] of Object.entries(catalogue.byRole)) {
    if (roles.includes(role)) for (const permission of permissions) granted.add(permission);
  }
  return [...granted].sort();
}

describe('permissionsOf', () => {
  it('grants nothing and breaks nothing for the names on Object.prototype', () => {
    const catalogue = { signedIn: ['note:read'], byRole: { admin: ['note:delete'] } };
    for (const role of [...PROTOTYPE_NAMES, 'prototype']) {
      expect([...permissionsOf(viewer('mallory', role), catalogue)]).toEqual(['note:read']);
    }
  });

  it('grants exactly the own entries of the roles held, whatever the role strings', () => {
    const catalogues = fc.record({
      signedIn: fc.array(fc.string(), { maxLength: 3 }),
      byRole: fc.dictionary(roleName(), fc.array(fc.string(), { maxLength: 3 }), { maxKeys: 4 }),
    });
    fc.assert(
      fc.property(catalogues, fc.array(roleName(), { maxLength: 6 }), (catalogue, roles) => {
        const granted = [...permissionsOf(viewer('mallory', ...roles), catalogue)].sort();
        expect(granted).toEqual(grantedByOwnEntries(catalogue, roles));
      }),
      { seed: 10, numRuns: 500 },
    );
  });

  it('grants an anonymous caller nothing, whatever roles it names', () => {
    const catalogue = { signedIn: ['note:read'], byRole: { admin: ['note:delete'] } };
    expect(permissionsOf({ ...viewer(null), roles: ['admin', 'constructor'] }, catalogue).size).toBe(0);
  });
});
