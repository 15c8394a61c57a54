/**
 * What the organisation's roles mean for inventory. Roles come from the gateway's identity token;
 * the permissions they grant here are decided here and nowhere else.
 */
import type { PermissionCatalogue } from '#kit';

export type InventoryPermission = 'stock:read' | 'stock:adjust';

export const INVENTORY_PERMISSIONS: PermissionCatalogue<InventoryPermission> = {
  signedIn: [],
  byRole: {
    admin: ['stock:read'],
    warehouse_staff: ['stock:read', 'stock:adjust'],
  },
};
