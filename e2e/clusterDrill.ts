/**
 * The fault drill on a cluster (e2e/cluster.ts): steady load of the three-subgraph query and a
 * trickle of orders placed, one gateway replica and one orders replica SIGKILLed mid-run, then
 * started again. Every request is timed, so each failure can be told apart: in flight at a kill
 * (it had reached the replica that died) or not (which the retries and health checks must prevent).
 * Beside the load, tokens are revoked before and during the kill and asked again after the restart
 * (e2e/clusterRevocations.ts).
 */
import type { Cluster, Tier } from './cluster.ts';
import { revocationSteps, type RevocationReport } from './clusterRevocations.ts';
import { postGraphQL } from './stack.ts';

export const DRILL_QUERY =
  'query MyOrders { myOrders { id status items { quantity product { name priceCents } } payments { amountCents status } } }';
const PLACE_ORDER = 'mutation PlaceOrder { placeOrder(items: [{ sku: "MS-002", quantity: 1 }]) { id } }';

export interface DrillOptions {
  /** Concurrent readers; one more client places orders. */
  connections?: number;
  durationMs?: number;
  killAtMs?: number;
  restartAtMs?: number;
  /** Replicas killed at `killAtMs`, each index 0 of its tier. */
  victims?: readonly Tier[];
  /** Revoke tokens around the kill (default true; needs a gateway victim and Redis). */
  revocations?: boolean;
}

interface Outcome {
  kind: 'read' | 'write';
  startedAt: number;
  endedAt: number;
  /** `ok`, or what went wrong: `http_502`, `SERVICE_UNAVAILABLE`, `network`, ... */
  result: string;
}

export interface DrillReport {
  sent: number;
  failed: number;
  failedByKind: Record<string, number>;
  /** Failures whose request was under way at a kill: the only ones a kill may cost. */
  failedInFlightAtKill: number;
  failedOtherwise: number;
  writesConfirmed: number;
  writesLost: number;
  /** From the restart until HAProxy had every restarted replica in rotation again. */
  recoveryMs: number;
  /** Failures per second of the run, by kind, with the kill's second: where they fell. */
  failuresBySecond: Record<string, Record<string, number>>;
  killAtS: number;
  /** From the SIGKILLs until both processes were seen gone. */
  killWindowMs: number;
  revocations?: RevocationReport;
}

function resultOf(status: number, body: any): string {
  if (status !== 200) return `http_${status}`;
  const code = body?.errors?.[0]?.extensions?.code;
  return code ? String(code) : body?.data ? 'ok' : 'no_data';
}

export async function runDrill(cluster: Cluster, options: DrillOptions = {}): Promise<DrillReport> {
  const { connections = 8, durationMs = 16_000, killAtMs = 5_000, restartAtMs = 8_000 } = options;
  const victims = options.victims ?? (['gateway', 'orders'] as const);
  const steps = options.revocations !== false && victims.includes('gateway') ? await revocationSteps(cluster) : undefined;
  const [alice, bob] = await Promise.all([cluster.token({ sub: 'alice' }), cluster.token({ sub: 'bob' })]);
  const outcomes: Outcome[] = [];
  const placed: string[] = [];
  const began = Date.now();
  const endAt = began + durationMs;
  // From the signal until the replicas were seen gone: the window a request can be caught in.
  let killedAt = Number.POSITIVE_INFINITY;
  let goneAt = Number.POSITIVE_INFINITY;

  const time = async (kind: Outcome['kind'], send: () => Promise<{ status: number; body: any }>) => {
    const startedAt = Date.now();
    let result: string;
    let body: any;
    try {
      const response = await send();
      body = response.body;
      result = resultOf(response.status, body);
    } catch (error) {
      result = `network:${(error as Error & { cause?: { code?: string } }).cause?.code ?? 'error'}`;
    }
    outcomes.push({ kind, startedAt, endedAt: Date.now(), result });
    return { result, body };
  };
  const reader = async () => {
    while (Date.now() < endAt) await time('read', () => postGraphQL(cluster.url, DRILL_QUERY, { token: alice }));
  };
  const writer = async () => {
    while (Date.now() < endAt) {
      const { result, body } = await time('write', () => postGraphQL(cluster.url, PLACE_ORDER, { token: bob }));
      if (result === 'ok') placed.push(body.data.placeOrder.id);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
  const faults = async () => {
    // The first revocations go to the replica about to die, so it comes back knowing them only from Redis.
    await Promise.all([pause(killAtMs), steps?.beforeKill()]);
    killedAt = Date.now();
    await Promise.all(victims.map((tier) => cluster.kill(tier, 0)));
    goneAt = Date.now();
    await Promise.all([pause(began + restartAtMs - Date.now()), steps?.whileDown(0)]);
    const restartedAt = Date.now();
    await Promise.all(victims.map((tier) => cluster.restart(tier, 0)));
    while (Date.now() < endAt + 30_000) {
      const back = await Promise.all(victims.map((tier) => cluster.inRotation(tier, 0)));
      if (back.every(Boolean)) return Date.now() - restartedAt;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return Number.POSITIVE_INFINITY;
  };

  const [recoveryMs] = await Promise.all([faults(), writer(), ...Array.from({ length: connections }, reader)]);
  if (steps && Number.isFinite(recoveryMs)) await steps.afterRecovery(0);

  const failures = outcomes.filter((outcome) => outcome.result !== 'ok');
  // In flight at the kill: under way at some moment between the signal and the replica's exit.
  const inFlight = (outcome: Outcome) => outcome.startedAt <= goneAt && outcome.endedAt >= killedAt;
  const failedByKind: Record<string, number> = {};
  for (const failure of failures) failedByKind[failure.result] = (failedByKind[failure.result] ?? 0) + 1;

  const failuresBySecond: DrillReport['failuresBySecond'] = {};
  for (const failure of failures) {
    const second = String(Math.floor((failure.startedAt - began) / 1000));
    const bucket = (failuresBySecond[second] ??= {});
    bucket[failure.result] = (bucket[failure.result] ?? 0) + 1;
  }

  const mine = await postGraphQL(cluster.url, '{ myOrders { id } }', { token: bob });
  const stored = new Set<string>((mine.body.data?.myOrders ?? []).map((order: { id: string }) => order.id));
  return {
    sent: outcomes.length,
    failed: failures.length,
    failedByKind,
    failedInFlightAtKill: failures.filter(inFlight).length,
    failedOtherwise: failures.filter((failure) => !inFlight(failure)).length,
    writesConfirmed: placed.length,
    writesLost: placed.filter((id) => !stored.has(id)).length,
    recoveryMs,
    failuresBySecond,
    killAtS: Math.floor((killedAt - began) / 1000),
    killWindowMs: goneAt - killedAt,
    ...(steps ? { revocations: await steps.report() } : {}),
  };
}
