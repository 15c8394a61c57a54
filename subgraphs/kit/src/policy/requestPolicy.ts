import type { Viewer } from '#identity';
import type { PolicyDecision, PolicyEngine, PolicyResource } from './engine.ts';

/**
 * One request's view of the policy decision point: builds the input from the viewer, asks the
 * engine, and remembers each decision for the rest of the request, so a list of fields or a
 * chain of rules on one order costs one question per action and resource.
 */
export interface RequestPolicy {
  readonly engine: PolicyEngine['name'];
  decide(action: string, resource: PolicyResource): Promise<PolicyDecision>;
}

export function requestPolicy(engine: PolicyEngine, viewer: Viewer, now: () => Date): RequestPolicy {
  const decisions = new Map<string, Promise<PolicyDecision>>();
  return {
    engine: engine.name,
    decide(action, resource) {
      if (viewer.sub === null) throw new Error('A policy decision needs a signed-in user');
      const key = JSON.stringify([action, resource]);
      let decision = decisions.get(key);
      if (decision === undefined) {
        decision = engine.decide({
          user: { id: viewer.sub, roles: [...viewer.roles] },
          action,
          resource,
          context: { nowMs: now().getTime() },
        });
        // A failure is not a decision: the next question asks again.
        decision.catch(() => decisions.delete(key));
        decisions.set(key, decision);
      }
      return decision;
    },
  };
}
