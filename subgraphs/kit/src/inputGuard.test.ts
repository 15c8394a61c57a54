import { parse, type DocumentNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { refuseNulInput } from './inputGuard.ts';

/** Runs the plugin's check as Apollo Server would for one request. */
async function check(document: DocumentNode, variables: Record<string, unknown> = {}): Promise<unknown> {
  const hooks = (await refuseNulInput().requestDidStart!({} as never)) as {
    didResolveOperation(context: unknown): Promise<void>;
  };
  return hooks.didResolveOperation({ document, request: { variables } }).then(
    () => 'accepted',
    (error: { extensions?: { code?: unknown } }) => error.extensions?.code,
  );
}

describe('refuseNulInput', () => {
  const clean = parse('query Q($sku: ID!) { product(sku: $sku) { name } }');
  const withNul = parse('{ product(sku: "KB\\u0000") { name } }');

  it('refuses a NUL in the document each time the same document comes back', async () => {
    expect(await check(withNul)).toBe('BAD_USER_INPUT');
    expect(await check(withNul)).toBe('BAD_USER_INPUT');
  });

  it('still reads the variables of a document it has already found clean', async () => {
    expect(await check(clean, { sku: 'KB-001' })).toBe('accepted');
    expect(await check(clean, { sku: 'KB\u0000' })).toBe('BAD_USER_INPUT');
    expect(await check(clean, { sku: { nested: ['MS\u0000'] } })).toBe('BAD_USER_INPUT');
    expect(await check(clean, { sku: 'KB-001' })).toBe('accepted');
  });
});
