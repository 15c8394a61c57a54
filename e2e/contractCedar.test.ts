/**
 * The orders rows of the contract once more, through the gateway, with orders' policy decided by
 * embedded Cedar (ORDERS_POLICY_ENGINE=cedar): the same rows, the same codes and words.
 */
import { afterAll, beforeAll, describe } from 'vitest';
import { describeOrdersContract } from '../subgraphs/orders/src/permissions.e2e.ts';
import { DEMO, startStack, type Stack } from './stack.ts';

describe('the orders contract through the gateway, decided by Cedar', () => {
  let stack: Stack;
  const tokens: Record<keyof typeof DEMO, string> = {} as never;
  beforeAll(async () => {
    stack = await startStack({ ordersEnv: { ORDERS_POLICY_ENGINE: 'cedar' } });
    for (const [name, user] of Object.entries(DEMO)) tokens[name as keyof typeof DEMO] = await stack.token(user);
  }, 180_000);
  afterAll(() => stack?.stop());

  describeOrdersContract((who, document, variables) =>
    stack.query(document, { ...(who ? { token: tokens[who] } : {}), variables }),
  );
});
