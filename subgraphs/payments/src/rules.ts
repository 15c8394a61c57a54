import type { GraphQLResolveInfo } from 'graphql';
import { notFound } from '#platform';
import { hasPermission, policyRule } from '#kit';
import type { PaymentsContext } from './context.ts';
import type { Payment } from './store.ts';

/**
 * All payments knows of an order: the representation the gateway sent. `userId` is there because
 * `Order.payments` `@requires` it, so it is what orders said, fetched by the gateway, the only
 * holder of tokens for this subgraph. It is absent on an order reached through `Payment.order`.
 */
export interface OrderReference {
  id: string;
  userId?: string;
}

export const REFUND_REQUIRES_CAPTURE = 'Only a captured payment can be refunded';

const READ_PAYMENTS_WORDS = 'Only payment processors and admins can read payments';

export const canReadAnyPayment = hasPermission('payment:read:any', READ_PAYMENTS_WORDS);
export const canInitiatePayments = hasPermission('payment:initiate', 'Only payment processors can initiate payments');
export const canRefundPayments = hasPermission('payment:refund', 'Only payment processors and admins can refund payments');

type ResponsePath = GraphQLResolveInfo['path'];

/**
 * Whether the Payment owning the field at `path` is an item of an `Order.payments` list: the path
 * ends in `<list field on Order>, <index>, <field>`. The list is told by the type it belongs to,
 * not by its response key, so an alias (`paid: payments`) counts too; this holds while `payments`
 * is the only field of Order that lists payments, which a test guards.
 */
export function isListedByOrderPayments(path: ResponsePath): boolean {
  const item = path.prev;
  return typeof item?.key === 'number' && item.prev?.typename === 'Order';
}

export const isOrderOwner = (order: OrderReference, ctx: PaymentsContext) =>
  ctx.viewer.sub !== null && order.userId === ctx.viewer.sub;

export const mayReadPaymentsOf = (order: OrderReference, ctx: PaymentsContext) =>
  (isOrderOwner(order, ctx) && ctx.permissions.has('order-payments:read:own')) || ctx.permissions.has('payment:read:any');

export const canReadOrderPayments = policyRule<PaymentsContext>(
  "Only the order's owner, payment processors and admins can read its payments",
  (order: OrderReference, _args, ctx) => mayReadPaymentsOf(order, ctx),
);

/**
 * A payment listed by `Order.payments` is readable by whoever that field's rule let through: had it
 * refused, the list would be null and no payment in it would be resolved.
 */
export const canReadPayment = policyRule<PaymentsContext>(
  READ_PAYMENTS_WORDS,
  (_payment: Payment, _args, ctx, info) => isListedByOrderPayments(info.path) || ctx.permissions.has('payment:read:any'),
  { name: "read a payment: payment processors, admins, and whoever may read its order's payments" },
);

/** The payment named by the mutation's `id` argument; NOT_FOUND comes before its state is judged. */
async function requestedPayment(args: { id: string }, ctx: PaymentsContext): Promise<Payment | Error> {
  return (await ctx.loaders.payment.load(args.id)) ?? notFound(`No payment with id ${args.id}`);
}

/** Applies `check` to the payment named by `id`, answering NOT_FOUND when there is none. */
const onRequestedPayment =
  (check: (payment: Payment) => boolean) => async (_parent: unknown, args: { id: string }, ctx: PaymentsContext) => {
    const payment = await requestedPayment(args, ctx);
    return payment instanceof Error ? payment : check(payment);
  };

export const paymentExists = policyRule<PaymentsContext>(
  'The payment must exist',
  onRequestedPayment(() => true),
);

export const requestedPaymentIsCaptured = policyRule<PaymentsContext>(
  REFUND_REQUIRES_CAPTURE,
  onRequestedPayment((payment) => payment.status === 'CAPTURED'),
);

/**
 * `Payment.order` is an Order, and orders decides who may read one. The gateway would not ask it
 * for `order { id }` alone, since payments holds the key, so payments asks orders itself and passes
 * its answer on, words and code intact: a refused caller reads orders' own sentence, not these words.
 */
export const ordersLetCallerReadTheOrder = policyRule<PaymentsContext>(
  'Only those who may read the order, as orders decides',
  async (payment: Payment, _args, ctx) => (await ctx.orderAccess.load(payment.orderId)).verdict,
  { name: "read a payment's order: as orders decides" },
);
