import { createCedarEngine, createOpaEngine, type PolicyEngine } from '#kit';
import type { OrdersSettings } from './config.ts';

const POLICY_DIR = new URL('../policy/', import.meta.url);

export const ORDERS_POLICY_FILES = {
  cedar: new URL('orders.cedar', POLICY_DIR).pathname,
  cedarSchema: new URL('orders.cedarschema', POLICY_DIR).pathname,
  rego: new URL('order.rego', POLICY_DIR).pathname,
} as const;

/** The package of order.rego, as an OPA server serves it. */
export const ORDERS_OPA_PACKAGE = 'order';

/** Orders' policy as data, embedded: read, validated and parsed once. */
export const createOrdersCedarEngine = () =>
  createCedarEngine({ namespace: 'Orders', policyFile: ORDERS_POLICY_FILES.cedar, schemaFile: ORDERS_POLICY_FILES.cedarSchema });

/** The engine the settings name; null for `shield`, whose rules are the code itself. */
export function createOrdersPolicyEngine(settings: OrdersSettings): PolicyEngine | null {
  switch (settings.policyEngine) {
    case 'shield':
      return null;
    case 'cedar':
      return createOrdersCedarEngine();
    case 'opa':
      // readOrdersEnv refuses `opa` without OPA_URL.
      return createOpaEngine({ url: settings.opa!.url, timeoutMs: settings.opa!.timeoutMs, packagePath: ORDERS_OPA_PACKAGE });
  }
}
