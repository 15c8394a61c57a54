/**
 * The orders rows of the contract's who-may-do-what table (CONTRACT.md), as the permission matrix
 * must show them (scripts/authz/matrix.test.ts compares them with what the rules answer).
 */
import { EVERYONE, type ExpectedRow, federationPlumbing, SIGNED_IN } from '../../../scripts/authz/model.ts';

export const ORDERS_CONTRACT_ROWS: readonly ExpectedRow[] = [
  {
    subgraph: 'orders',
    row: "read an `Order` (any path: `order`, `myOrders`, `orders`, a mutation's result, an entity reference)",
    allowed: 'its owner (`userId` = token `sub`), `admin`, `warehouse_staff`',
    source: 'contract',
    fields: ['Query.order', 'Order.id', 'Order.userId', 'Order.status', 'Order.createdAt', 'Order.items'],
    allow: ['owner', 'warehouse_staff', 'admin'],
  },
  {
    subgraph: 'orders',
    row: '`myOrders`',
    allowed: 'any authenticated user (their own orders)',
    source: 'contract',
    fields: ['Query.myOrders'],
    allow: SIGNED_IN,
  },
  {
    subgraph: 'orders',
    row: '`orders` (all)',
    allowed: '`admin`',
    source: 'contract',
    fields: ['Query.orders'],
    allow: ['admin'],
  },
  {
    subgraph: 'orders',
    row: '`placeOrder`',
    allowed: 'any authenticated user; 1 to 50 items, quantity 1 to 1000',
    source: 'contract',
    fields: ['Mutation.placeOrder'],
    allow: SIGNED_IN,
  },
  {
    subgraph: 'orders',
    row: '`cancelOrder`',
    allowed: 'the owner only, while `PENDING`, and less than 30 minutes after `createdAt`',
    source: 'contract',
    fields: ['Mutation.cancelOrder'],
    allow: [],
    depends: {
      owner: ['Only a pending order can be cancelled', 'An order can only be cancelled within 30 minutes of being placed'],
    },
  },
  {
    subgraph: 'orders',
    row: '`processOrder`',
    allowed: '`warehouse_staff` only; `PENDING` becomes `PROCESSED`',
    source: 'contract',
    fields: ['Mutation.processOrder'],
    allow: [],
    depends: { warehouse_staff: ['Only a pending order can be processed'] },
  },
  {
    subgraph: 'orders',
    row: '`orderExists` (README, "Onward calls"; `@inaccessible`)',
    allowed: '`payment_processor` and `admin` may check existence',
    source: 'beyond the contract',
    fields: ['Query.orderExists'],
    allow: ['payment_processor', 'admin'],
  },
  {
    subgraph: 'orders',
    row: '`OrderItem`, `Product.sku`',
    allowed: 'reached only through an `Order` its rule let through',
    source: 'beyond the contract',
    fields: ['OrderItem.product', 'OrderItem.quantity', 'Product.sku'],
    allow: EVERYONE,
  },
  federationPlumbing('orders'),
];
