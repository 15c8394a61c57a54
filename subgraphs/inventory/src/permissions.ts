/**
 * The inventory policy: the catalogue is public, stock levels and stock changes are not.
 */
import { allow, type IRules } from 'graphql-shield';
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

/**
 * Every field's rule. Each rule carries its words (`ruleWords` in the kit): the FORBIDDEN message,
 * the audit log's `rule` and the permission matrix (docs/permissions.md) all say the same thing.
 */
export const inventoryRules = {
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
} satisfies IRules;

/**
 * Fields no rule names, left to the fallback deny on purpose, each with the reason. A field in
 * neither this list nor the map above fails the rule-coverage test.
 */
export const inventoryIntentionallyDenied: Readonly<Record<string, string>> = {};

export const inventoryPermissions = denyByDefault(inventoryRules);
