import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import type * as CedarWasm from '@cedar-policy/cedar-wasm/nodejs';
import { PolicyEngineUnavailable, PolicyLoadError, type PolicyEngine, type PolicyInput } from './engine.ts';

export interface CedarEngineOptions {
  /** The Cedar namespace of the schema: entities are `<namespace>::User`, `<namespace>::<resource type>`. */
  namespace: string;
  policyFile: string;
  schemaFile: string;
}

interface LoadedPolicy {
  readonly id: string;
  readonly text: string;
  /** `@reason("...")`: the words a denial by this `forbid` gives the caller. */
  readonly reason?: string;
}

/**
 * The module compiles its 4 MB of WebAssembly when it loads (16 MB resident): loaded on the first
 * engine only, so a subgraph that keeps its rules in code never pays for it.
 */
let cedarModule: typeof CedarWasm | undefined;
const loadCedar = () => (cedarModule ??= createRequire(import.meta.url)('@cedar-policy/cedar-wasm/nodejs') as typeof CedarWasm);

const messages = (errors: readonly CedarWasm.DetailedError[]) => errors.map((error) => error.message);

let loaded = 0;

/** Splits the file into its policies, each with its `@id` (or its position) and its `@reason`. */
function readPolicies(cedar: typeof CedarWasm, file: string, text: string): LoadedPolicy[] {
  const parts = cedar.policySetTextToParts(text);
  if (parts.type === 'failure') throw new PolicyLoadError(basename(file), messages(parts.errors));
  return parts.policies.map((policy, index) => {
    const json = cedar.policyToJson(policy);
    if (json.type === 'failure') throw new PolicyLoadError(basename(file), messages(json.errors));
    const annotations = json.json.annotations ?? {};
    return {
      id: annotations.id ?? `policy${index}`,
      text: policy,
      ...(annotations.reason ? { reason: annotations.reason } : {}),
    };
  });
}

/**
 * Cedar, embedded: the policy set is read, validated against the schema (strict mode) and parsed
 * once, when the engine is created; an invalid policy throws PolicyLoadError so the service does
 * not start. Each decision is then one call into the WebAssembly module, with no I/O.
 */
export function createCedarEngine(options: CedarEngineOptions): PolicyEngine {
  const cedar = loadCedar();
  const schema = readFileSync(options.schemaFile, 'utf8');
  const policies = readPolicies(cedar, options.policyFile, readFileSync(options.policyFile, 'utf8'));
  const staticPolicies = Object.fromEntries(policies.map((policy) => [policy.id, policy.text]));
  if (Object.keys(staticPolicies).length !== policies.length) {
    throw new PolicyLoadError(basename(options.policyFile), ['two policies share one @id']);
  }
  const validation = cedar.validate({ schema, policies: { staticPolicies }, validationSettings: { mode: 'strict' } });
  if (validation.type === 'failure') throw new PolicyLoadError(basename(options.schemaFile), messages(validation.errors));
  if (validation.validationErrors.length > 0) {
    throw new PolicyLoadError(
      basename(options.policyFile),
      validation.validationErrors.map(({ policyId, error }) => `${policyId}: ${error.message}`),
    );
  }
  const id = `${options.namespace}-${++loaded}`;
  const preparsed = [cedar.preparsePolicySet(id, { staticPolicies }), cedar.preparseSchema(id, schema)];
  for (const answer of preparsed) {
    if (answer.type === 'failure') throw new PolicyLoadError(basename(options.policyFile), messages(answer.errors));
  }
  const reasons = new Map(policies.flatMap((policy) => (policy.reason ? [[policy.id, policy.reason] as const] : [])));
  const order = policies.map((policy) => policy.id);
  const ns = options.namespace;

  return {
    name: 'cedar',
    async decide(input: PolicyInput) {
      const { type, id: resourceId, ...attributes } = input.resource;
      const principal = { type: `${ns}::User`, id: input.user.id };
      const resource = { type: `${ns}::${type}`, id: resourceId };
      const answer = cedar.statefulIsAuthorized({
        principal,
        action: { type: `${ns}::Action`, id: input.action },
        resource,
        context: { ...input.context },
        preparsedPolicySetId: id,
        preparsedSchemaName: id,
        validateRequest: true,
        entities: [
          { uid: principal, attrs: { id: input.user.id, roles: [...input.user.roles] }, parents: [] },
          { uid: resource, attrs: attributes as Record<string, CedarWasm.CedarValueJson>, parents: [] },
        ],
      });
      if (answer.type === 'failure') throw new PolicyEngineUnavailable('cedar', messages(answer.errors).join('; '));
      const { decision, diagnostics } = answer.response;
      // Cedar skips a policy whose condition errors: a forbid that errors would quietly allow.
      if (diagnostics.errors.length > 0) {
        throw new PolicyEngineUnavailable('cedar', diagnostics.errors.map((e) => `${e.policyId}: ${e.error.message}`).join('; '));
      }
      if (decision === 'allow') return { allowed: true };
      const refusing = order.find((policyId) => diagnostics.reason.includes(policyId) && reasons.has(policyId));
      return refusing === undefined ? { allowed: false } : { allowed: false, reason: reasons.get(refusing)! };
    },
  };
}
