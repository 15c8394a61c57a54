import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { composeSupergraph, SUPERGRAPH_FILE } from './compose.ts';

describe('the supergraph', () => {
  it('is composed from the current subgraph schemas (run npm run compose if this fails)', () => {
    const composition = composeSupergraph();
    expect(composition.ok).toBe(true);
    if (composition.ok) expect(readFileSync(SUPERGRAPH_FILE, 'utf8')).toBe(composition.supergraphSdl);
  });

  it('keeps orderExists out of the public API', () => {
    expect(readFileSync(SUPERGRAPH_FILE, 'utf8')).toMatch(/orderExists\(id: ID!\): Boolean! @inaccessible/);
  });

  it('reports composition errors by name', () => {
    const composition = composeSupergraph((name) =>
      name === 'inventory'
        ? 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"]) type Product @key(fields: "sku") { sku: Int! } type Query { p: Product }'
        : readFileSync(new URL(`../schema/${name}.graphql`, import.meta.url), 'utf8'),
    );
    expect(composition.ok).toBe(false);
    if (!composition.ok) expect(composition.errors.join('\n')).toMatch(/Product\.sku/);
  });
});
