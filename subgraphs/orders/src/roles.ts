/**
 * What the organisation's roles mean for orders. Roles come from the gateway's identity token;
 * the permissions they grant here are decided here and nowhere else.
 */
import type { PermissionCatalogue } from '#kit';

export type OrderPermission =
  | 'order:place'
  | 'order:read:own'
  | 'order:cancel:own'
  | 'order:read:any'
  | 'order:list:all'
  | 'order:process'
  | 'order:check-exists';

export const ORDER_PERMISSIONS: PermissionCatalogue<OrderPermission> = {
  signedIn: ['order:place', 'order:read:own', 'order:cancel:own'],
  byRole: {
    admin: ['order:read:any', 'order:list:all', 'order:check-exists'],
    warehouse_staff: ['order:read:any', 'order:process'],
    payment_processor: ['order:check-exists'],
  },
};
