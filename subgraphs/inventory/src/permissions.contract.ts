/**
 * The inventory rows of the contract's who-may-do-what table (CONTRACT.md), as the permission matrix
 * must show them (scripts/authz/matrix.test.ts compares them with what the rules answer).
 */
import { EVERYONE, type ExpectedRow, federationPlumbing } from '../../../scripts/authz/model.ts';

export const INVENTORY_CONTRACT_ROWS: readonly ExpectedRow[] = [
  {
    subgraph: 'inventory',
    row: '`products`, `product`, `sku`, `name`, `priceCents`, `inStock`',
    allowed: 'everyone, anonymous included',
    source: 'contract',
    fields: ['Query.products', 'Query.product', 'Product.sku', 'Product.name', 'Product.priceCents', 'Product.inStock'],
    allow: EVERYONE,
  },
  {
    subgraph: 'inventory',
    row: '`quantityOnHand`',
    allowed: '`warehouse_staff`, `admin`',
    source: 'contract',
    fields: ['Product.quantityOnHand'],
    allow: ['warehouse_staff', 'admin'],
  },
  {
    subgraph: 'inventory',
    row: '`adjustStock`',
    allowed: '`warehouse_staff` only; stock never goes below 0 (`BAD_USER_INPUT`, stock unchanged); unknown SKU: `NOT_FOUND`',
    source: 'contract',
    fields: ['Mutation.adjustStock'],
    allow: ['warehouse_staff'],
  },
  federationPlumbing('inventory'),
];
