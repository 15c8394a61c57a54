import { PolicyEngineUnavailable, type PolicyEngine, type PolicyInput } from './engine.ts';

export interface OpaEngineOptions {
  /** The OPA server, e.g. http://opa:8181. */
  url: string;
  /** The Rego package, as a data path: `order` asks `/v1/data/order/allow`. */
  packagePath: string;
  /** Each question's deadline; past it the decision fails closed with an error. */
  timeoutMs: number;
}

/**
 * Open Policy Agent over its data API: `POST <url>/v1/data/<package>/allow` with `{ input }`, and on
 * a denial `.../reason` for the refusing rule's words. Node's fetch keeps connections alive, so a
 * decision costs a request on an open socket. Anything but a well-formed answer in time (a refused
 * connection, a 5xx, a timeout, a body without the boolean) rejects with PolicyEngineUnavailable.
 */
export function createOpaEngine(options: OpaEngineOptions): PolicyEngine {
  const base = `${options.url.replace(/\/+$/, '')}/v1/data/${options.packagePath.replaceAll('.', '/')}`;

  async function query(rule: string, input: PolicyInput): Promise<unknown> {
    let response: Response;
    try {
      response = await fetch(`${base}/${rule}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ input }),
        signal: AbortSignal.timeout(options.timeoutMs),
      });
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      throw new PolicyEngineUnavailable('opa', timedOut ? `no answer within ${options.timeoutMs} ms` : 'unreachable', {
        cause: error,
      });
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new PolicyEngineUnavailable('opa', `HTTP ${response.status} for ${rule}`);
    }
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw new PolicyEngineUnavailable('opa', `a body that is not JSON for ${rule}`, { cause: error });
    }
    if (typeof body !== 'object' || body === null) throw new PolicyEngineUnavailable('opa', `a malformed answer for ${rule}`);
    return (body as { result?: unknown }).result;
  }

  return {
    name: 'opa',
    async decide(input) {
      const allowed = await query('allow', input);
      if (typeof allowed !== 'boolean') {
        throw new PolicyEngineUnavailable('opa', `no boolean at ${options.packagePath}.allow (is the policy loaded?)`);
      }
      if (allowed) return { allowed: true };
      const reason = await query('reason', input);
      if (reason !== undefined && typeof reason !== 'string') {
        throw new PolicyEngineUnavailable('opa', `a reason that is not a string at ${options.packagePath}.reason`);
      }
      return reason === undefined ? { allowed: false } : { allowed: false, reason };
    },
  };
}
