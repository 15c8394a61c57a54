import { badUserInput, DateTimeScalar, forbidden, notFound, type Resolvers } from '#kit';
import type { PaymentsContext } from './context.ts';
import { REFUND_REQUIRES_CAPTURE, type OrderReference } from './rules.ts';
import type { NewPayment, Payment } from './store.ts';

/** ISO 4217 style: three capital letters. Which codes are accepted is the payment provider's call. */
const CURRENCY_CODE = /^[A-Z]{3}$/;

function validatePayment({ amountCents, currency }: NewPayment): void {
  if (amountCents <= 0) throw badUserInput(`The amount must be a positive number of cents; got ${amountCents}`);
  if (!CURRENCY_CODE.test(currency)) {
    throw badUserInput(`The currency must be three capital letters, such as USD; got ${JSON.stringify(currency)}`);
  }
}

export const paymentsResolvers: Resolvers = {
  DateTime: DateTimeScalar,
  Query: {
    payment: (_: unknown, args: { id: string }, ctx: PaymentsContext) => ctx.loaders.payment.load(args.id),
  },
  Mutation: {
    initiatePayment: async (_: unknown, args: NewPayment, ctx: PaymentsContext) => {
      validatePayment(args);
      if (!(await ctx.orders.exists(args.orderId, ctx.request))) throw notFound(`No order with id ${args.orderId}`);
      return ctx.store.capturePayment(args);
    },
    refundPayment: async (_: unknown, args: { id: string }, ctx: PaymentsContext) => {
      const refunded = await ctx.store.refundPayment(args.id);
      if (refunded) return refunded;
      // The rules saw it captured, so a concurrent refund got there first.
      throw forbidden(REFUND_REQUIRES_CAPTURE);
    },
  },
  Payment: {
    __resolveReference: (reference: { id: string }, ctx: PaymentsContext) => ctx.loaders.payment.load(reference.id),
    // Orders decides whether the caller may read the order itself.
    order: (payment: Payment) => ({ __typename: 'Order', id: payment.orderId }),
  },
  Order: {
    // Payments stores no orders: the representation is the order, and its userId feeds the owner rule.
    __resolveReference: (reference: OrderReference) => reference,
    payments: (order: OrderReference, _args: unknown, ctx: PaymentsContext) =>
      ctx.loaders.paymentsOfOrder.load(order.id),
  },
};
