/**
 * The inventory policy: the catalogue is public, stock levels and stock changes are not. What the
 * roles grant is in roles.ts, the rules themselves (and their words) in rules.ts.
 */
import { allow, type IRules } from 'graphql-shield';
import { denyByDefault } from '#kit';
import { canAdjustStock, canSeeStockLevels } from './rules.ts';

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
