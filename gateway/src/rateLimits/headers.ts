/**
 * The IETF rate limit fields (draft-ietf-httpapi-ratelimit-headers-10): each is a Structured Fields
 * list with one item per policy, named by a string.
 *
 *   RateLimit-Policy: "user";q=300;w=60, "user-burst";q=100;w=600
 *   RateLimit: "user";r=12;t=41
 */
import type { Decision, RateLimitPolicy } from './policy.ts';

export const RATE_LIMIT_HEADER = 'RateLimit';
export const RATE_LIMIT_POLICY_HEADER = 'RateLimit-Policy';

/** The quota items a policy advertises: its steady allowance and, when it has one, its burst. */
export function policyItems(policy: RateLimitPolicy): string[] {
  const steady = `"${policy.name}";q=${policy.points};w=${policy.durationSeconds}`;
  if (policy.burst === 0) return [steady];
  return [steady, `"${policy.name}-burst";q=${policy.burst};w=${policy.burstDurationSeconds}`];
}

/** The live counters of one decision: what is left of the steady allowance, and when it resets. */
export function limitItem(decision: Decision): string {
  return `"${decision.policy.name}";r=${decision.remaining};t=${decision.resetSeconds}`;
}

/** Both fields for a set of decisions, in order, as header name -> value. */
export function rateLimitHeaders(decisions: readonly Decision[]): Record<string, string> {
  return {
    [RATE_LIMIT_POLICY_HEADER]: decisions.flatMap((decision) => policyItems(decision.policy)).join(', '),
    [RATE_LIMIT_HEADER]: decisions.map(limitItem).join(', '),
  };
}

/** Whole seconds to wait before the refused request could succeed: never 0, which means "now". */
export const retryAfterSeconds = (decision: Decision): string => String(Math.max(1, decision.resetSeconds));
