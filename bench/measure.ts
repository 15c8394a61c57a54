/**
 * One timed run: autocannon, in this process, at a fixed number of connections, every response
 * compared byte for byte with the answer checked beforehand. Latencies are kept exactly (autocannon's
 * own histogram rounds to whole milliseconds).
 */
import autocannon from 'autocannon';
import type { HttpRequest } from './client.ts';

export interface RunSettings {
  connections: number;
  durationS: number;
}

export interface Measurement {
  /** Responses received. */
  requests: number;
  durationS: number;
  rps: number;
  p50: number;
  p99: number;
  meanMs: number;
  /** Connection errors, timeouts, non-2xx answers and answers that differ from the checked one. */
  errors: number;
  /** Every response time in ms, for pooling across rounds. */
  latencies: number[];
}

export async function measure(request: HttpRequest, expectBody: string, settings: RunSettings): Promise<Measurement> {
  const latencies: number[] = [];
  const instance = autocannon({
    url: request.url,
    method: 'POST',
    headers: request.headers,
    body: request.body,
    connections: settings.connections,
    duration: settings.durationS,
    expectBody,
    timeout: 10,
  });
  instance.on('response', (_client, _status, _bytes, responseTimeMs) => latencies.push(responseTimeMs));
  const result = await instance;
  return {
    requests: latencies.length,
    durationS: result.duration,
    rps: latencies.length / result.duration,
    ...percentiles(latencies),
    errors: result.errors + result.non2xx + result.mismatches,
    latencies,
  };
}

export function percentiles(latencies: readonly number[]): { p50: number; p99: number; meanMs: number } {
  if (latencies.length === 0) return { p50: NaN, p99: NaN, meanMs: NaN };
  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
  const sum = sorted.reduce((total, value) => total + value, 0);
  return { p50: at(0.5), p99: at(0.99), meanMs: sum / sorted.length };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
