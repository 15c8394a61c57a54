/**
 * Times the members of a group in turn, slice by slice (A B A B ...), so that whatever else the
 * machine is doing lands on all of them alike; each member's slices are then added up.
 */
import type { HttpRequest } from './client.ts';
import { measure, percentiles, type Measurement } from './measure.ts';
import { ROLES, type BenchStack, type Role } from './stack.ts';

export interface Contender {
  /** Built afresh for every slice (a direct call needs an identity token that has not expired). */
  request(): Promise<HttpRequest>;
  /** The answer checked before timing; any other answer counts as an error. */
  expectBody: string;
  stack: BenchStack;
  /** Whether the calls go through the gateway, so the subgraphs' new connections tell about keep-alive. */
  viaGateway: boolean;
}

export interface Timed {
  measurement: Measurement;
  /** CPU time each service spent, in ms per response: what each layer costs. */
  cpuMsPerRequest: Record<Role, number>;
  /** TCP connections the subgraphs accepted during the slices (after warm-up: keep-alive says none). */
  subgraphConnections: number;
  subgraphRequests: number;
}

export interface AlternateSettings {
  connections: number;
  /** Seconds per member, in all. */
  totalS: number;
  sliceS: number;
}

export async function alternate(contenders: readonly Contender[], settings: AlternateSettings): Promise<Timed[]> {
  const slices = Math.max(1, Math.round(settings.totalS / settings.sliceS));
  const sliceS = settings.totalS / slices;
  const parts = contenders.map(() => [] as Part[]);
  for (let slice = 0; slice < slices; slice++) {
    for (const [index, contender] of contenders.entries()) {
      const before = await counters(contender.stack);
      const measurement = await measure(await contender.request(), contender.expectBody, {
        connections: settings.connections,
        durationS: sliceS,
      });
      const after = await counters(contender.stack);
      parts[index]!.push({
        measurement,
        cpuMs: Object.fromEntries(ROLES.map((role) => [role, (after.cpuMicros[role] - before.cpuMicros[role]) / 1000])) as Record<
          Role,
          number
        >,
        subgraphConnections: after.connections - before.connections,
        subgraphRequests: after.requests - before.requests,
      });
    }
  }
  return parts.map(combine);
}

type Part = Omit<Timed, 'cpuMsPerRequest'> & { cpuMs: Record<Role, number> };

function combine(parts: Part[]): Timed {
  const latencies = parts.flatMap((part) => part.measurement.latencies);
  const durationS = sum(parts.map((part) => part.measurement.durationS));
  return {
    cpuMsPerRequest: Object.fromEntries(
      ROLES.map((role) => [role, sum(parts.map((part) => part.cpuMs[role])) / Math.max(1, latencies.length)]),
    ) as Record<Role, number>,
    measurement: {
      requests: latencies.length,
      durationS,
      rps: latencies.length / durationS,
      ...percentiles(latencies),
      errors: sum(parts.map((part) => part.measurement.errors)),
      latencies,
    },
    subgraphConnections: sum(parts.map((part) => part.subgraphConnections)),
    subgraphRequests: sum(parts.map((part) => part.subgraphRequests)),
  };
}

async function counters(stack: BenchStack) {
  const stats = await stack.stats();
  const subgraphs = [stats.orders, stats.payments, stats.inventory];
  return {
    cpuMicros: Object.fromEntries(ROLES.map((role) => [role, stats[role].cpuMicros])) as Record<Role, number>,
    connections: sum(subgraphs.map((s) => s.connections)),
    requests: sum(subgraphs.map((s) => s.requests)),
  };
}

const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
