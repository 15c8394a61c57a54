import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentHash } from '../gateway/src/trustedDocuments/manifest.ts';
import { buildManifest, MANIFEST_FILE } from './operations.ts';

describe('the trusted documents manifest', () => {
  it('is built from the current operations/*.graphql (run npm run operations if this fails)', () => {
    const build = buildManifest();
    expect(build.ok).toBe(true);
    if (build.ok) expect(readFileSync(MANIFEST_FILE, 'utf8')).toBe(build.text);
  });

  it("holds the README's operations", () => {
    const documents = Object.values(JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')) as Record<string, string>);
    const names = documents.map((document) => /^(?:query|mutation) (\w+)/.exec(document)?.[1]);
    for (const name of [
      'MyOrders',
      'Order',
      'CancelOrder',
      'ProductStock',
      'AdjustStock',
      'ProcessOrder',
      'Payment',
      'InitiatePayment',
      'RefundPayment',
      'Products',
    ]) {
      expect(names).toContain(name);
    }
  });

  it('maps the hash of each file text, without surrounding whitespace, to that text', () => {
    const build = buildManifest({ 'Products.graphql': '\nquery Products { products { sku } }\n\n' });
    expect(build.ok && JSON.parse(build.text)).toEqual({
      [documentHash('query Products { products { sku } }')]: 'query Products { products { sku } }',
    });
  });

  it('reports every bad file: unparsable, unnamed, misnamed, several operations, invalid against the graph', () => {
    const build = buildManifest({
      'Broken.graphql': 'query Broken {',
      'Unnamed.graphql': '{ products { sku } }',
      'Mine.graphql': 'query Other { products { sku } }',
      'Two.graphql': 'query Two { products { sku } } query Three { products { sku } }',
      'Wrong.graphql': 'query Wrong { products { price } }',
    });
    expect(build.ok).toBe(false);
    if (build.ok) return;
    expect(build.errors).toEqual([
      expect.stringMatching(/^Broken\.graphql: Syntax Error/),
      expect.stringMatching(/^Mine\.graphql: its operation must be named Mine/),
      expect.stringMatching(/^Two\.graphql: holds 2 operations/),
      expect.stringMatching(/^Unnamed\.graphql: its operation must be named Unnamed/),
      expect.stringMatching(/^Wrong\.graphql: Cannot query field "price"/),
    ]);
  });
});
