import { ApolloServer } from '@apollo/server';
import { GraphQLError } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServiceMetrics, UNNAMED_OPERATION } from './metrics.ts';

const typeDefs = 'type Query { ok: Int  denied: Int }  type Mutation { ok: Int }';
const resolvers = {
  Query: { ok: () => 1, denied: () => new GraphQLError('no', { extensions: { code: 'FORBIDDEN' } }) },
  Mutation: { ok: () => 1 },
};

const metrics = createServiceMetrics('inventory');
const server = new ApolloServer({ typeDefs, resolvers, plugins: [metrics.plugin] });
beforeAll(() => server.start());
afterAll(() => server.stop());

const run = (query: string, operationName?: string) =>
  server.executeOperation({ query, ...(operationName ? { operationName } : {}) });
const requestsLine = async (labels: string) =>
  (await metrics.registry.metrics()).split('\n').find((line) => line.startsWith(`graphql_requests_total{${labels}`));

describe('graphql_requests_total', () => {
  it('labels an operation sent without a name as unnamed, not as an anonymous user', async () => {
    await run('{ ok }');
    expect(await requestsLine(`operation="${UNNAMED_OPERATION}",operation_type="query",outcome="ok"`)).toBeDefined();
    expect(await metrics.registry.metrics()).not.toContain('operation="anonymous"');
  });

  it("counts a subgraph fetch under the client's operation name, as the gateway does", async () => {
    await run('query MyOrders__inventory__2 { ok }');
    expect(await requestsLine('operation="MyOrders",operation_type="query",outcome="ok"')).toBeDefined();
    expect(await metrics.registry.metrics()).not.toContain('MyOrders__inventory__2');
  });

  it('tells a partial result (data beside a denied field) from a failed request', async () => {
    await run('query Partly { ok denied }');
    // Invalid: Apollo never resolves its name or type.
    await run('query Broken { nope }');
    expect(await requestsLine('operation="Partly",operation_type="query",outcome="partial"')).toBeDefined();
    expect(await requestsLine(`operation="${UNNAMED_OPERATION}",operation_type="none",outcome="error"`)).toBeDefined();
  });

  it('labels the operation type', async () => {
    await run('mutation Change { ok }');
    expect(await requestsLine('operation="Change",operation_type="mutation",outcome="ok"')).toBeDefined();
    expect(await metrics.registry.metrics()).toMatch(
      /graphql_request_duration_seconds_count\{service="inventory",operation="Change",operation_type="mutation"\} 1/,
    );
  });
});
