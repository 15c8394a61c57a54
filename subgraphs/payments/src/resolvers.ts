import { badUserInput, forbidden, notFound } from '#platform';
import { DateTimeScalar } from '#kit';
import type { Resolvers } from './__generated__/resolvers.ts';
import { REFUND_REQUIRES_CAPTURE } from './rules.ts';
import type { NewPayment } from './store.ts';

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
    payment: (_, args, ctx) => ctx.loaders.payment.load(args.id),
  },
  Mutation: {
    initiatePayment: async (_, args, ctx) => {
      validatePayment(args);
      if (!(await ctx.orders.exists(args.orderId, ctx.request))) throw notFound(`No order with id ${args.orderId}`);
      return ctx.store.capturePayment(args);
    },
    refundPayment: async (_, args, ctx) => {
      const refunded = await ctx.store.refundPayment(args.id);
      if (refunded) return refunded;
      // The rules saw it captured, so a concurrent refund got there first.
      throw forbidden(REFUND_REQUIRES_CAPTURE);
    },
  },
  Payment: {
    __resolveReference: (reference, ctx) => ctx.loaders.payment.load(reference.id),
    // Orders decides whether the caller may read the order itself.
    order: (payment) => ({ id: payment.orderId }),
  },
  Order: {
    // Payments stores no orders: the representation is the order, and its userId feeds the owner rule.
    __resolveReference: (reference) => reference,
    payments: (order, _args, ctx) => ctx.loaders.paymentsOfOrder.load(order.id),
  },
};
