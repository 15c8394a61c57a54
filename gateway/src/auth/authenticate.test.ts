import type { Response } from 'express';
import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ANONYMOUS } from '#identity';
import { viewerOf } from './authenticate.ts';

const responseWith = (locals: Record<string, unknown>) => ({ locals }) as unknown as Response;

describe('viewerOf', () => {
  it('returns the viewer authentication established', () => {
    expect(viewerOf(responseWith({ viewer: ANONYMOUS }))).toBe(ANONYMOUS);
  });

  it('refuses, with 401, a request that never went through authentication', () => {
    let refusal: unknown;
    try {
      viewerOf(responseWith({}));
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(GraphQLError);
    expect((refusal as GraphQLError).extensions).toMatchObject({ code: 'UNAUTHENTICATED', http: { status: 401 } });
  });
});
