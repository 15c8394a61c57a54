/**
 * Revocations on a cluster under load, in three steps the fault drill (e2e/clusterDrill.ts) runs
 * around its kill: a token revoked at the endpoint of the gateway replica about to die, and a user
 * revoked in Redis with `npm run revoke`, before the kill; a token revoked at the surviving replica
 * while the other is down; then, once the killed replica is back, every revoked token asked again.
 * Each answer names its replica (HAProxy's `x-served-by`), so "refused by every replica" is seen
 * through the load balancer. The revoked user asks with a write: an order stored that was never
 * confirmed would mean a refused request still got an identity token past the gateway.
 */
import { randomBytes } from 'node:crypto';
import type { Cluster } from './cluster.ts';

/** Pub/sub reaches every live replica in milliseconds: the bound docs/authentication.md states. */
export const REVOCATION_BOUND_MS = 1_000;
/** Long enough to be a hang, not a slow answer on a busy machine. */
const PROBE_DEADLINE_MS = 10_000;

const READ = 'query MyOrders { myOrders { id } }';
const WRITE = 'mutation PlaceOrder { placeOrder(items: [{ sku: "KB-001", quantity: 1 }]) { id } }';

export interface RevocationReport {
  boundMs: number;
  /** From each revocation until every live gateway replica had been seen refusing the token. */
  propagationMs: { jtiAtEndpoint: number; subjectInRedis: number; jtiWhileReplicaDown: number };
  /** Answers 200 to a revoked token from a replica that had already refused it once. */
  acceptedAfterRefusal: number;
  /** The killed and restarted replica's answers to the revoked tokens once back in rotation. */
  restartedReplica: { refused: number; accepted: number };
  /**
   * The revoked user's orders: confirmed to them, of which after every replica had refused them
   * once, and stored in the end (as many as confirmed: a refused request placed nothing).
   */
  subjectOrders: { confirmed: number; confirmedAfterRefusal: number; stored: number };
  /** A token the revoked user got after the revocation is served (a subject revocation ends older ones). */
  newerSubjectTokenServed: boolean;
}

interface Probed {
  readonly name: string;
  readonly token: string;
  readonly document: string;
}

type Verdict = 'refused' | 'accepted' | 'other';
interface Answer {
  server: string;
  verdict: Verdict;
  orderId?: string;
}

export interface RevocationSteps {
  /** Checks each token is served, then revokes two and waits until every replica refuses them. */
  beforeKill(): Promise<void>;
  /** While `down` is gone: revokes a third token at a surviving replica. */
  whileDown(down: number): Promise<void>;
  /** Asks with every revoked token again, the restarted replica `restarted` included. */
  afterRecovery(restarted: number): Promise<void>;
  report(): Promise<RevocationReport>;
}

export async function revocationSteps(cluster: Cluster): Promise<RevocationSteps> {
  const run = randomBytes(3).toString('hex');
  const jtis = { atEndpoint: `cluster-${run}-a`, whileDown: `cluster-${run}-b` };
  const subject = `trudy-${run}`;
  const [mallory, oscar, trudy] = await Promise.all([
    cluster.token({ sub: `mallory-${run}`, jti: jtis.atEndpoint }),
    cluster.token({ sub: `oscar-${run}`, jti: jtis.whileDown }),
    cluster.token({ sub: subject }),
  ]);
  const probes: Record<'atEndpoint' | 'subject' | 'whileDown', Probed> = {
    atEndpoint: { name: 'token revoked at an endpoint', token: mallory, document: READ },
    subject: { name: 'revoked user', token: trudy, document: WRITE },
    whileDown: { name: 'token revoked while a replica was down', token: oscar, document: READ },
  };
  const confirmed: string[] = [];
  let confirmedBeforeRefusal = Infinity;
  const propagationMs = { jtiAtEndpoint: Infinity, subjectInRedis: Infinity, jtiWhileReplicaDown: Infinity };
  const restartedReplica = { refused: 0, accepted: 0 };
  let acceptedAfterRefusal = 0;

  const ask = async (probed: Probed): Promise<Answer> => {
    const answer = await askCluster(cluster.url, probed);
    if (answer.orderId) confirmed.push(answer.orderId);
    return answer;
  };

  /** Asks back to back until each of `servers` has refused; ms from `revokedAt`. */
  const refusedBy = async (probed: Probed, servers: string[], revokedAt: number): Promise<number> => {
    const refusedAt = new Map<string, number>();
    while (refusedAt.size < servers.length) {
      if (Date.now() - revokedAt > PROBE_DEADLINE_MS) return Infinity;
      const { server, verdict } = await ask(probed);
      if (verdict === 'refused' && !refusedAt.has(server)) refusedAt.set(server, Date.now());
      if (verdict === 'accepted' && refusedAt.has(server)) acceptedAfterRefusal++;
      if (verdict === 'other') await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return Math.max(...refusedAt.values()) - revokedAt;
  };

  const gateways = Array.from({ length: cluster.replicas }, (_, index) => `gateway${index}`);
  return {
    async beforeKill() {
      for (const probed of Object.values(probes)) {
        const { verdict } = await ask(probed);
        if (verdict !== 'accepted') throw new Error(`the ${probed.name} was not served before any revocation`);
      }
      for (let order = 0; order < 2; order++) await ask(probes.subject);
      const status = await cluster.revokeAt(0, { jti: jtis.atEndpoint, exp: Math.floor(Date.now() / 1000) + 3600 });
      if (status !== 201) throw new Error(`the revocation endpoint answered ${status}`);
      propagationMs.jtiAtEndpoint = await refusedBy(probes.atEndpoint, gateways, Date.now());
      await cluster.revokeInRedis(['--sub', subject]);
      propagationMs.subjectInRedis = await refusedBy(probes.subject, gateways, Date.now());
      confirmedBeforeRefusal = confirmed.length;
    },
    async whileDown(down) {
      const survivor = (down + 1) % cluster.replicas;
      const status = await cluster.revokeAt(survivor, { jti: jtis.whileDown });
      if (status !== 201) throw new Error(`the revocation endpoint answered ${status}`);
      const live = gateways.filter((name) => name !== `gateway${down}`);
      propagationMs.jtiWhileReplicaDown = await refusedBy(probes.whileDown, live, Date.now());
    },
    async afterRecovery(restarted) {
      for (let round = 0; round < 10; round++) {
        for (const probed of Object.values(probes)) {
          const { server, verdict } = await ask(probed);
          if (server !== `gateway${restarted}`) continue;
          if (verdict === 'refused') restartedReplica.refused++;
          if (verdict === 'accepted') restartedReplica.accepted++;
        }
      }
    },
    async report() {
      // A token minted now has an `iat` after the revocation's second: the user may sign in again.
      const newer = await cluster.token({ sub: subject });
      const mine = await askCluster(cluster.url, { name: 'newer token', token: newer, document: READ });
      return {
        boundMs: REVOCATION_BOUND_MS,
        propagationMs,
        acceptedAfterRefusal,
        restartedReplica,
        subjectOrders: {
          confirmed: confirmed.length,
          confirmedAfterRefusal: Math.max(0, confirmed.length - confirmedBeforeRefusal),
          stored: mine.orders?.length ?? -1,
        },
        newerSubjectTokenServed: mine.verdict === 'accepted',
      };
    },
  };
}

async function askCluster(url: string, probed: Probed): Promise<Answer & { orders?: unknown[] }> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${probed.token}` },
      body: JSON.stringify({ query: probed.document }),
      signal: AbortSignal.timeout(PROBE_DEADLINE_MS),
    });
    const server = response.headers.get('x-served-by') ?? 'none';
    const body = (await response.json().catch(() => undefined)) as { data?: any; errors?: unknown[] } | undefined;
    if (response.status === 401 && /revoked/.test(response.headers.get('www-authenticate') ?? '')) {
      return { server, verdict: 'refused' };
    }
    if (response.status !== 200 || !body?.data || body.errors) return { server, verdict: 'other' };
    return { server, verdict: 'accepted', orderId: body.data.placeOrder?.id, orders: body.data.myOrders };
  } catch {
    return { server: 'none', verdict: 'other' };
  }
}
