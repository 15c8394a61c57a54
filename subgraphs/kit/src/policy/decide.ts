import { policyRule, type AuthorizationContext } from '../authorization.ts';
import { forbidden } from '#platform';
import type { PolicyResource } from './engine.ts';
import type { RequestPolicy } from './requestPolicy.ts';

/** The context of a subgraph whose rules may ask a policy engine; `policy` is there when one is configured. */
export interface PolicyContext extends AuthorizationContext {
  readonly policy?: RequestPolicy;
}

/**
 * The resource a decision is about, or an answer that needs no engine: an Error (NOT_FOUND before
 * any ownership check) or `true` (nothing to decide, e.g. `order(id)` of no order is null).
 */
export type ResourceOf<Context> = (
  parent: any,
  args: any,
  ctx: Context,
) => PolicyResource | Error | true | Promise<PolicyResource | Error | true>;

/**
 * A shield rule that asks the policy decision point whether the viewer may do `action` on the
 * resource. It answers like every other rule: UNAUTHENTICATED for an anonymous caller (who is never
 * asked about), FORBIDDEN with the refusing rule's words when the policy names them, else `words`.
 * An engine that gives no decision fails the field as an internal error, logged, never a FORBIDDEN.
 */
export function decide<Context extends PolicyContext>(
  action: string,
  resourceOf: ResourceOf<Context>,
  words: string,
  options: { name?: string } = {},
) {
  return policyRule<Context>(
    words,
    async (parent, args, ctx) => {
      if (ctx.viewer.sub === null) return false;
      const resource = await resourceOf(parent, args, ctx);
      if (resource === true || resource instanceof Error) return resource;
      if (ctx.policy === undefined) throw new Error(`A rule asks the policy engine about "${action}", and none is configured`);
      const decision = await ctx.policy.decide(action, resource);
      if (decision.allowed) return true;
      return decision.reason === undefined ? false : forbidden(decision.reason);
    },
    options,
  );
}
