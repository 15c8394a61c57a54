import { ApolloServer, HeaderMap } from '@apollo/server';
import express, { type Request } from 'express';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { asksForLandingPage } from './landingPage.ts';

/** Apollo's own decision, read from the installed package, so an upgrade that changes it fails here. */
const apolloPrefersHtml = (method: string, accept: string | undefined): boolean =>
  (ApolloServer.prototype as unknown as { prefersHTML(request: unknown): boolean }).prefersHTML({
    method,
    headers: new HeaderMap(accept === undefined ? [] : [['accept', accept]]),
  });

const request = (method: string, accept: string | undefined): Request =>
  Object.assign(Object.create(express.request), { method, headers: accept === undefined ? {} : { accept } });

const MEDIA_RANGES = [
  '*/*',
  'text/*',
  'text/html',
  'application/json',
  'application/*',
  'application/graphql-response+json',
  'multipart/mixed',
  'multipart/mixed;deferSpec=20220824',
  'application/xhtml+xml',
  'image/webp',
];

const acceptHeader = fc
  .array(fc.tuple(fc.constantFrom(...MEDIA_RANGES), fc.option(fc.constantFrom('0', '0.1', '0.5', '0.8', '0.9', '1'))), {
    maxLength: 5,
  })
  .map((ranges) => ranges.map(([range, q]) => (q === null ? range : `${range};q=${q}`)).join(', '));

describe('asksForLandingPage', () => {
  it.each([
    ['a browser', 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', true],
    ['fetch and curl', '*/*', false],
    ['a GraphQL client', 'application/graphql-response+json, application/json;q=0.9', false],
    ['no Accept header', undefined, false],
  ])('decides as Apollo does for %s', (_case, accept, expected) => {
    expect(asksForLandingPage(request('GET', accept))).toBe(expected);
    expect(apolloPrefersHtml('GET', accept)).toBe(expected);
  });

  it('agrees with Apollo on every Accept header and method', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('GET', 'POST', 'HEAD', 'PUT'),
        fc.option(acceptHeader, { nil: undefined }),
        (method, accept) => {
          expect(asksForLandingPage(request(method, accept))).toBe(apolloPrefersHtml(method, accept));
        },
      ),
      { numRuns: 500 },
    );
  });
});
