/**
 * The payments rows of the contract's who-may-do-what table (CONTRACT.md), as the permission matrix
 * must show them (scripts/authz/matrix.test.ts compares them with what the rules answer).
 */
import { EVERYONE, type ExpectedRow, federationPlumbing } from '../../../scripts/authz/model.ts';

export const PAYMENTS_CONTRACT_ROWS: readonly ExpectedRow[] = [
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
];
