import { z } from 'zod';
import { acrossVariables, parseEnv } from '#platform';
import { POLICY_ENGINES, type PolicyEngineName } from '#kit';
import { localUrlOf, subgraphNamed } from '#roster';

const ORDERS_ENV = z
  .object({
    /** Who decides the orders rows: the in-code shield rules (default), embedded Cedar, or OPA. */
    ORDERS_POLICY_ENGINE: z.enum(POLICY_ENGINES).default('shield'),
    OPA_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** Each OPA question's deadline; past it the field fails closed as an internal error. */
    OPA_TIMEOUT_MS: z.coerce.number().int().min(1).max(30_000).default(500),
    /** Inventory, asked whether each SKU of a new order exists (an onward call). */
    INVENTORY_URL: z.url({ protocol: /^https?$/ }).default(localUrlOf(subgraphNamed('inventory'))),
    INVENTORY_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5_000),
  })
  .check(
    acrossVariables((env, ctx) => {
      if (env.ORDERS_POLICY_ENGINE !== 'opa' || env.OPA_URL !== undefined) return;
      ctx.addIssue({ code: 'custom', path: ['OPA_URL'], message: 'required when ORDERS_POLICY_ENGINE=opa' });
    }),
  );

export const ORDERS_ENV_VARIABLES = [
  'ORDERS_POLICY_ENGINE',
  'OPA_URL',
  'OPA_TIMEOUT_MS',
  'INVENTORY_URL',
  'INVENTORY_TIMEOUT_MS',
] as const;

export interface OrdersSettings {
  policyEngine: PolicyEngineName;
  opa: { url: string; timeoutMs: number } | null;
  inventory: { url: string; timeoutMs: number };
}

/** The settings of orders alone, beside those every subgraph reads. */
export function readOrdersEnv(env: NodeJS.ProcessEnv): OrdersSettings {
  const parsed = parseEnv('orders', ORDERS_ENV, env);
  return {
    policyEngine: parsed.ORDERS_POLICY_ENGINE,
    opa: parsed.OPA_URL === undefined ? null : { url: parsed.OPA_URL, timeoutMs: parsed.OPA_TIMEOUT_MS },
    inventory: { url: parsed.INVENTORY_URL, timeoutMs: parsed.INVENTORY_TIMEOUT_MS },
  };
}
