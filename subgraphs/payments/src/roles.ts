/**
 * What the organisation's roles mean for payments. Roles come from the gateway's identity token;
 * the permissions they grant here are decided here and nowhere else.
 */
import type { PermissionCatalogue } from '#kit';

export type PaymentPermission = 'payment:read:any' | 'payment:initiate' | 'payment:refund' | 'order-payments:read:own';

export const PAYMENT_PERMISSIONS: PermissionCatalogue<PaymentPermission> = {
  signedIn: ['order-payments:read:own'],
  byRole: {
    payment_processor: ['payment:read:any', 'payment:initiate', 'payment:refund'],
    admin: ['payment:read:any', 'payment:refund'],
  },
};
