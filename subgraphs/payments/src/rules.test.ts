import { buildSubgraphSchema } from '@apollo/subgraph';
import { getNamedType, isObjectType, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadSubgraphSdl } from '#kit';
import { isListedByOrderPayments } from './rules.ts';
import { PAYMENTS } from './service.ts';

type ResponsePath = GraphQLResolveInfo['path'];

/** A response path as graphql-js builds it: `[key, typename]` per field, a bare number per list item. */
function pathOf(...steps: ([string, string] | number)[]): ResponsePath {
  let path: ResponsePath | undefined;
  for (const step of steps) {
    path =
      typeof step === 'number' ? { prev: path, key: step, typename: undefined } : { prev: path, key: step[0], typename: step[1] };
  }
  return path!;
}

describe('isListedByOrderPayments', () => {
  it.each([
    ['an order reference', pathOf(['_entities', 'Query'], 0, ['payments', 'Order'], 1, ['amountCents', 'Payment'])],
    ['an aliased list', pathOf(['_entities', 'Query'], 0, ['paid', 'Order'], 0, ['id', 'Payment'])],
    [
      "a payment's order, listed again",
      pathOf(['payment', 'Query'], ['order', 'Payment'], ['payments', 'Order'], 0, ['status', 'Payment']),
    ],
  ])('recognises a payment listed by Order.payments through %s', (_case, path) => {
    expect(isListedByOrderPayments(path)).toBe(true);
  });

  it.each([
    ['payment(id)', pathOf(['payment', 'Query'], ['amountCents', 'Payment'])],
    ['a Payment entity reference', pathOf(['_entities', 'Query'], 0, ['amountCents', 'Payment'])],
    ['a mutation result', pathOf(['refundPayment', 'Mutation'], ['status', 'Payment'])],
    [
      'a field below a listed payment',
      pathOf(['_entities', 'Query'], 0, ['payments', 'Order'], 0, ['order', 'Payment'], ['id', 'Order']),
    ],
  ])('does not mistake %s for one', (_case, path) => {
    expect(isListedByOrderPayments(path)).toBe(false);
  });

  it('relies on payments being the only field of Order that lists payments', () => {
    const order = buildSubgraphSchema(loadSubgraphSdl(PAYMENTS.name)).getType('Order');
    if (!isObjectType(order)) throw new Error('Order is not an object type');
    const fields = Object.values(order.getFields());
    const listingPayments = fields.filter((field) => getNamedType(field.type).name === 'Payment');
    expect(listingPayments.map((field) => field.name)).toEqual(['payments']);
  });
});
