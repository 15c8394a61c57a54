/**
 * A policy decision point behind one small interface. A subgraph's rules ask it "may this user do
 * this action on this resource?"; the answer comes from an engine that holds the policy as data.
 */

/** The engines a subgraph can be switched to. `shield` is the in-code rule map and asks no engine. */
export const POLICY_ENGINES = ['shield', 'cedar', 'opa'] as const;
export type PolicyEngineName = (typeof POLICY_ENGINES)[number];

/** Attribute values an engine can read: what JSON, Cedar and Rego have in common. */
export type PolicyValue = string | number | boolean | readonly string[];

/** The resource asked about: its kind, its id and the attributes the policy reads. */
export interface PolicyResource {
  readonly type: string;
  readonly id: string;
  readonly [attribute: string]: PolicyValue;
}

/** Every decision is about a signed-in user: anonymous callers are asked to sign in first. */
export interface PolicyUser {
  readonly id: string;
  readonly roles: readonly string[];
}

/**
 * What an engine is asked: OPA receives it as `input` unchanged. `context.nowMs` is the service's
 * clock (epoch milliseconds), so time-bound rules use the same clock as the rest of the service.
 */
export interface PolicyInput {
  readonly user: PolicyUser;
  readonly action: string;
  readonly resource: PolicyResource;
  readonly context: { readonly nowMs: number };
}

/** `reason`: the words of the rule that refused, when the policy names one. */
export interface PolicyDecision {
  readonly allowed: boolean;
  readonly reason?: string;
}

export interface PolicyEngine {
  readonly name: Exclude<PolicyEngineName, 'shield'>;
  /** Rejects with PolicyEngineUnavailable when no decision could be had: never a silent denial. */
  decide(input: PolicyInput): Promise<PolicyDecision>;
}

/**
 * The engine gave no decision (down, too slow, an answer it should not give). The field fails as
 * an internal error, which is logged, instead of passing for a FORBIDDEN the caller earned.
 */
export class PolicyEngineUnavailable extends Error {
  constructor(
    readonly engine: string,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`The ${engine} policy engine gave no decision: ${detail}`, options);
    this.name = 'PolicyEngineUnavailable';
  }
}

/** A policy that cannot be loaded stops the service at start, naming the file and the problems. */
export class PolicyLoadError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(`Invalid policy ${file}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'PolicyLoadError';
  }
}
