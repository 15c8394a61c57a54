/**
 * The payments policy: who may do what with payments. Roles come from the gateway's identity
 * token; what they mean here is decided here and nowhere else.
 */
import { allow, chain, type IRules } from 'graphql-shield';
import { denyByDefault, hasPermission, type PermissionCatalogue } from '#kit';
import {
  canReadOrderPayments,
  canReadPayment,
  ordersLetCallerReadTheOrder,
  paymentExists,
  requestedPaymentIsCaptured,
} from './rules.ts';

export type PaymentPermission = 'payment:read:any' | 'payment:initiate' | 'payment:refund' | 'order-payments:read:own';

export const PAYMENT_PERMISSIONS: PermissionCatalogue<PaymentPermission> = {
  signedIn: ['order-payments:read:own'],
  byRole: {
    payment_processor: ['payment:read:any', 'payment:initiate', 'payment:refund'],
    admin: ['payment:read:any', 'payment:refund'],
  },
};

const canReadAnyPayment = hasPermission('payment:read:any', 'Only payment processors and admins can read payments');
const canInitiatePayments = hasPermission('payment:initiate', 'Only payment processors can initiate payments');
const canRefundPayments = hasPermission('payment:refund', 'Only payment processors and admins can refund payments');

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
