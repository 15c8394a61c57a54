/**
 * A client's mistake is a 4xx with a clear code, never a 500, and never logged as an internal error.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from './stack.ts';

const logs: Record<string, any>[] = [];
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ onLog: (entry) => logs.push(entry) });
});
afterAll(() => stack?.stop());

async function post(body: Record<string, unknown>) {
  const response = await fetch(stack.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return {
    status: response.status,
    body: (await response.json()) as { errors?: { message: string; extensions?: { code?: string } }[] },
  };
}

const TWO_OPERATIONS = 'query A { products { sku } } query B { products { name } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('a client mistake', () => {
  it.each([
    [
      'an unknown operationName',
      { query: 'query A { products { sku } }', operationName: 'Missing' },
      'OPERATION_RESOLUTION_FAILURE',
      /Missing/,
    ],
    ['several operations without operationName', { query: TWO_OPERATIONS }, 'OPERATION_RESOLUTION_FAILURE', /operationName/],
    [
      'an operationName with a document of one anonymous operation',
      { query: '{ products { sku } }', operationName: 'A' },
      'OPERATION_RESOLUTION_FAILURE',
      /"A"/,
    ],
    [
      'a subscription',
      { query: 'subscription { products { sku } }' },
      'OPERATION_NOT_SUPPORTED',
      /[Ss]ubscriptions are not supported/,
    ],
    [
      'a persisted-query hash that does not match its query',
      {
        query: '{ products { sku } }',
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ products { name } }') } },
      },
      'BAD_REQUEST',
      /does not match/,
    ],
  ])('is a 400 with a clear code for %s, logged as no internal error', async (_case, body, code, message) => {
    const before = logs.length;
    const requestsBefore = stack.subgraphRequests.length;
    const response = await post(body);
    expect(response.status).toBe(400);
    expect(response.body.errors).toHaveLength(1);
    expect(response.body.errors![0]!.extensions?.code).toBe(code);
    expect(response.body.errors![0]!.message).toMatch(message);
    expect(logs.slice(before).filter((entry) => entry.level >= 50)).toEqual([]);
    expect(stack.subgraphRequests.length).toBe(requestsBefore);
  });

  it('is not made of a document with several operations when operationName chooses one', async () => {
    const chosen = await post({ query: TWO_OPERATIONS, operationName: 'B' });
    expect(chosen.status).toBe(200);
    expect(chosen.body.errors).toBeUndefined();
  });
});
