/**
 * The inventory policy: the catalogue is public, stock levels and stock changes are not.
 */
import { allow } from 'graphql-shield';
import { denyByDefault, hasPermission, type PermissionCatalogue } from '#kit';

export type InventoryPermission = 'stock:read' | 'stock:adjust';

export const INVENTORY_PERMISSIONS: PermissionCatalogue<InventoryPermission> = {
  signedIn: [],
  byRole: {
    admin: ['stock:read'],
    warehouse_staff: ['stock:read', 'stock:adjust'],
  },
};

const canSeeStockLevels = hasPermission('stock:read', 'Only warehouse staff and admins can see stock levels');
const canAdjustStock = hasPermission('stock:adjust', 'Only warehouse staff can adjust stock');

export const inventoryPermissions = denyByDefault({
  Query: {
    products: allow,
    product: allow,
    // Only callers holding a gateway identity token get this far; the SDL is not a secret to them.
    _service: allow,
    // Representations are only keys; each Product field below carries its own rule.
    _entities: allow,
  },
  Mutation: {
    adjustStock: canAdjustStock,
  },
  Product: {
    sku: allow,
    name: allow,
    priceCents: allow,
    inStock: allow,
    quantityOnHand: canSeeStockLevels,
  },
  _Service: { sdl: allow },
});
