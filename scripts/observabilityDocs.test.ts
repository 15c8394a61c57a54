/**
 * docs/observability.md's metric table is the reference of every metric the services define, and
 * the Grafana dashboard queries only metrics in it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const reference = readFileSync(join(root, 'docs/observability.md'), 'utf8');
const dashboard = JSON.parse(
  readFileSync(join(root, 'deploy/kubernetes/components/observability/federation-dashboard.json'), 'utf8'),
);

/** `name: 'graphql_requests_total'` of every prom-client metric in the services' code. */
function definedMetrics(): string[] {
  const files = (dir: string): string[] =>
    readdirSync(join(root, dir), { withFileTypes: true }).flatMap((entry) =>
      entry.isDirectory()
        ? files(join(dir, entry.name))
        : entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')
          ? [join(dir, entry.name)]
          : [],
    );
  const sources = ['gateway/src', 'subgraphs/kit/src', 'platform/src']
    .flatMap(files)
    .map((file) => readFileSync(join(root, file), 'utf8'));
  return sources.flatMap((text) =>
    [...text.matchAll(/new (?:Counter|Histogram|Gauge)\(\{\s*name: '([a-z_]+)'/g)].map((match) => match[1]!),
  );
}

const documented = [...reference.matchAll(/^\| `([a-z_]+)` \| (?:counter|histogram|gauge)/gm)].map((match) => match[1]!);

describe('docs/observability.md', () => {
  it('documents every metric the services define, and no other', () => {
    expect(definedMetrics().sort()).toEqual([...documented].sort());
  });
});

describe('the Grafana dashboard', () => {
  const queries: string[] = dashboard.panels.flatMap((panel: any) => panel.targets.map((target: any) => target.expr));
  const seriesOf = (name: string) => name.replace(/_(bucket|count|sum)$/, '');

  it('queries only documented metrics', () => {
    const used = queries.flatMap((expr) => [...expr.matchAll(/\b([a-z_]+)(?=\{|\[)/g)].map((match) => seriesOf(match[1]!)));
    expect(used.length).toBeGreaterThan(0);
    expect(used.filter((name) => !documented.includes(name))).toEqual([]);
  });

  it('shows requests, latency, authentication failures by reason, denials by rule and subgraph errors', () => {
    const text = queries.join('\n');
    expect(text).toMatch(/rate\(graphql_requests_total/);
    expect(text).toMatch(/graphql_request_duration_seconds_bucket/);
    expect(text).toMatch(/sum by \(reason\) \(rate\(authentication_failures_total/);
    expect(text).toMatch(/sum by \([^)]*rule[^)]*\) \(rate\(authorization_denials_total[\s\S]*authorization_rule_info/);
    expect(text).toMatch(/subgraph_fetch_duration_seconds_count\{outcome!="ok"\}/);
  });
});
