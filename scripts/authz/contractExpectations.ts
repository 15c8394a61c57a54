/**
 * The contract's who-may-do-what table, row by row, as the permission matrix must show it. Each
 * row quotes the contract; `fields` are the matrix rows it governs; the principals in `allow` get
 * `allow`, those in `depends` get `depends` with exactly those words, everyone else `deny`.
 * Rows marked `beyond the contract` cover fields the table does not name (federation plumbing,
 * README promises), so every field of the matrix has an expectation someone wrote down.
 */
import type { Coordinate } from './model.ts';
import type { PrincipalId } from './principals.ts';

export interface ExpectedRow {
  readonly subgraph: 'orders' | 'payments' | 'inventory';
  /** The contract's "operation or field" and "allowed" columns, or where else the promise is made. */
  readonly row: string;
  readonly allowed: string;
  readonly source: 'contract' | 'beyond the contract';
  readonly fields: readonly Coordinate[];
  readonly allow: readonly PrincipalId[];
  readonly depends?: Readonly<Partial<Record<PrincipalId, readonly string[]>>>;
}

const EVERYONE: readonly PrincipalId[] = ['anonymous', 'customer', 'owner', 'warehouse_staff', 'payment_processor', 'admin'];
const SIGNED_IN: readonly PrincipalId[] = ['customer', 'owner', 'warehouse_staff', 'payment_processor', 'admin'];

const federationPlumbing = (subgraph: ExpectedRow['subgraph']): ExpectedRow => ({
  subgraph,
  row: '`_service`, `_entities`, `_Service.sdl` (federation)',
  allowed: 'any caller with a gateway identity token; entity fields carry their own rules',
  source: 'beyond the contract',
  fields: ['Query._service', 'Query._entities', '_Service.sdl'],
  allow: EVERYONE,
});

export const CONTRACT_EXPECTATIONS: readonly ExpectedRow[] = [
  // orders
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

  // payments
  {
    subgraph: 'payments',
    row: '`initiatePayment`',
    allowed: '`payment_processor` only; amount > 0; unknown order: `NOT_FOUND`',
    source: 'contract',
    fields: ['Mutation.initiatePayment'],
    allow: ['payment_processor'],
  },
  {
    subgraph: 'payments',
    row: '`refundPayment`',
    allowed: '`payment_processor` or `admin`; only a `CAPTURED` payment',
    source: 'contract',
    fields: ['Mutation.refundPayment'],
    allow: [],
    depends: {
      payment_processor: ['Only a captured payment can be refunded'],
      admin: ['Only a captured payment can be refunded'],
    },
  },
  {
    subgraph: 'payments',
    row: '`payment(id)`, and a `Payment` reached any way but `Order.payments`',
    allowed: '`payment_processor`, `admin`',
    source: 'contract',
    fields: ['Query.payment'],
    allow: ['payment_processor', 'admin'],
  },
  {
    subgraph: 'payments',
    row:
      '`payment(id)`, and a `Payment` reached any way but `Order.payments`; ' +
      'a `Payment` listed by `Order.payments` (the fields of `Payment`, reached every way)',
    allowed: '`payment_processor`, `admin`; whoever may read that `Order.payments`',
    source: 'contract',
    fields: ['Payment.id', 'Payment.amountCents', 'Payment.currency', 'Payment.status', 'Payment.createdAt'],
    allow: ['payment_processor', 'admin'],
    // The owner reads them listed by Order.payments of their order, and no other way.
    depends: { owner: ['Only payment processors and admins can read payments'] },
  },
  {
    subgraph: 'payments',
    row: '`Payment.order`: an `Order`, following the orders rows (a payment processor sees the payment, not the order)',
    allowed: "whoever may read the payment and, in orders' judgement, the order",
    source: 'contract',
    fields: ['Payment.order'],
    allow: ['admin'],
    depends: { owner: ['Only payment processors and admins can read payments'] },
  },
  {
    subgraph: 'payments',
    row: '`Order.payments`',
    allowed: "the order's owner, `payment_processor`, `admin`",
    source: 'contract',
    fields: ['Order.payments'],
    allow: ['owner', 'payment_processor', 'admin'],
  },
  {
    subgraph: 'payments',
    row: '`Order.id` in payments',
    allowed: 'the key the gateway sent, echoed back',
    source: 'beyond the contract',
    fields: ['Order.id'],
    allow: EVERYONE,
  },
  {
    subgraph: 'payments',
    row: '`Order.userId` in payments (`@external`)',
    allowed: 'nobody: orders serves it; payments only receives it for `@requires`',
    source: 'beyond the contract',
    fields: ['Order.userId'],
    allow: [],
  },
  federationPlumbing('payments'),

  // inventory
  {
    subgraph: 'inventory',
    row: '`products`, `product`, `sku`, `name`, `priceCents`, `inStock`',
    allowed: 'everyone, anonymous included',
    source: 'contract',
    fields: ['Query.products', 'Query.product', 'Product.sku', 'Product.name', 'Product.priceCents', 'Product.inStock'],
    allow: EVERYONE,
  },
  {
    subgraph: 'inventory',
    row: '`quantityOnHand`',
    allowed: '`warehouse_staff`, `admin`',
    source: 'contract',
    fields: ['Product.quantityOnHand'],
    allow: ['warehouse_staff', 'admin'],
  },
  {
    subgraph: 'inventory',
    row: '`adjustStock`',
    allowed: '`warehouse_staff` only; stock never goes below 0 (`BAD_USER_INPUT`, stock unchanged); unknown SKU: `NOT_FOUND`',
    source: 'contract',
    fields: ['Mutation.adjustStock'],
    allow: ['warehouse_staff'],
  },
  federationPlumbing('inventory'),
];
