/**
 * The payments policy: which rule guards each field. What the roles grant is in roles.ts, the
 * rules themselves (and their words) in rules.ts.
 */
import { allow, chain, type IRules } from 'graphql-shield';
import { denyByDefault } from '#kit';
import {
  canInitiatePayments,
  canReadAnyPayment,
  canReadOrderPayments,
  canReadPayment,
  canRefundPayments,
  ordersLetCallerReadTheOrder,
  paymentExists,
  requestedPaymentIsCaptured,
} from './rules.ts';

/**
 * Every field's rule. Each rule carries its words (`ruleWords` in the kit): the FORBIDDEN message,
 * the audit log's `rule` and the permission matrix (docs/permissions.md) all say the same thing.
 */
export const paymentsRules = {
  Query: {
    payment: canReadAnyPayment,
    // Only callers holding a gateway identity token get this far; the SDL is not a secret to them.
    _service: allow,
    // Representations are only keys: Payment fields are guarded by canReadPayment, and
    // Order.payments by canReadOrderPayments.
    _entities: allow,
  },
  Mutation: {
    // Amount, currency and the order's existence are the resolver's: they are input, not access.
    initiatePayment: canInitiatePayments,
    refundPayment: chain(canRefundPayments, paymentExists, requestedPaymentIsCaptured),
  },
  Payment: {
    '*': canReadPayment,
    order: chain(canReadPayment, ordersLetCallerReadTheOrder),
  },
  Order: {
    // The key the caller sent, echoed back.
    id: allow,
    payments: canReadOrderPayments,
    // userId is orders' field, lent for @requires: no rule names it (paymentsIntentionallyDenied).
  },
  _Service: { sdl: allow },
} satisfies IRules;

/**
 * Fields no rule names, left to the fallback deny on purpose, each with the reason. A field in
 * neither this list nor the map above fails the rule-coverage test.
 */
export const paymentsIntentionallyDenied: Readonly<Record<string, string>> = {
  'Order.userId': "orders' field, lent for @requires: this subgraph never serves it",
};

export const paymentsPermissions = denyByDefault(paymentsRules);
