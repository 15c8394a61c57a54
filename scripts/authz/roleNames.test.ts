/**
 * Every subgraph's own catalogue, asked about arbitrary role strings (the names on Object.prototype
 * among them): a role it does not list grants nothing and breaks nothing.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { permissionsOf } from '#kit';
import { viewer } from '#identity/testing';
import { SUBGRAPH_POLICIES } from './subgraphs.ts';

const CATALOGUES = SUBGRAPH_POLICIES.map((policy) => [policy.name, policy.roles] as const);

const PROTOTYPE_NAMES = [...Object.getOwnPropertyNames(Object.prototype), 'prototype'];

describe.each(CATALOGUES)('the %s catalogue', (_name, catalogue) => {
  const known = Object.keys(catalogue.byRole);
  const roleName = fc.oneof(fc.string(), fc.constantFrom(...PROTOTYPE_NAMES, ...known));

  it('grants the signed-in permissions plus those of the listed roles held, for any role strings', () => {
    fc.assert(
      fc.property(fc.array(roleName, { maxLength: 6 }), (roles) => {
        const expected = new Set([
          ...catalogue.signedIn,
          ...known.filter((role) => roles.includes(role)).flatMap((role) => catalogue.byRole[role]!),
        ]);
        expect(permissionsOf(viewer('mallory', ...roles), catalogue)).toEqual(expected);
      }),
      { seed: 10, numRuns: 300 },
    );
  });

  it('grants a token holding only prototype names what any signed-in user gets', () => {
    expect(permissionsOf(viewer('mallory', ...PROTOTYPE_NAMES), catalogue)).toEqual(new Set(catalogue.signedIn));
  });
});
