/**
 * Subgraphs that call another subgraph on the user's behalf, and which ones. The gateway mints each
 * of them an extra token for the target alone, so no token is ever valid at two subgraphs.
 * payments asks orders whether an order exists before taking a payment for it; orders asks
 * inventory whether every SKU of a new order exists before storing it.
 */
export const ONWARD_CALLS: Readonly<Record<string, readonly string[]>> = {
  payments: ['orders'],
  orders: ['inventory'],
};
