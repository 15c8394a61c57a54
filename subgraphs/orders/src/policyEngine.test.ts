/**
 * Switching orders' policy engine: its settings, and what a caller and the operator see when the
 * engine decides (the audit names it) or cannot (OPA unreachable: an internal error, never FORBIDDEN).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createLogger } from '#platform';
import { createOpaEngine, type PolicyEngine, type RunningServer } from '#kit';
import { IDENTITY_HEADER } from '#identity';
import { createTestSigningKey, mintIdentity, viewer, type TestSigningKey } from '#identity/testing';
import { serveBehindIdentityGuard } from '#kit/testing';
import { readOrdersEnv } from './config.ts';
import { createOrdersCedarEngine } from './policyEngine.ts';
import { ORDERS_PROGRAM } from './service.ts';
import { createOrdersFixture } from './testing.ts';

describe('ORDERS_POLICY_ENGINE and OPA settings', () => {
  it('default to the in-code shield rules', () => {
    expect(readOrdersEnv({})).toEqual({
      policyEngine: 'shield',
      opa: null,
      inventory: { url: 'http://localhost:4003/graphql', timeoutMs: 5000 },
    });
  });

  it('read the OPA server and its deadline', () => {
    expect(readOrdersEnv({ ORDERS_POLICY_ENGINE: 'opa', OPA_URL: 'http://opa:8181', OPA_TIMEOUT_MS: '250' })).toEqual({
      policyEngine: 'opa',
      opa: { url: 'http://opa:8181', timeoutMs: 250 },
      inventory: { url: 'http://localhost:4003/graphql', timeoutMs: 5000 },
    });
  });

  it('report every problem at once: an unknown engine, opa without OPA_URL, a bad deadline', () => {
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        readOrdersEnv(env);
        return [];
      } catch (error) {
        expect(error).toBeInstanceOf(ConfigError);
        return (error as ConfigError).problems;
      }
    };
    expect(problems({ ORDERS_POLICY_ENGINE: 'casbin', OPA_TIMEOUT_MS: '0' })).toEqual([
      expect.stringMatching(/^ORDERS_POLICY_ENGINE: .*shield.*cedar.*opa/),
      expect.stringMatching(/^OPA_TIMEOUT_MS: /),
    ]);
    expect(problems({ ORDERS_POLICY_ENGINE: 'opa' })).toEqual(['OPA_URL: required when ORDERS_POLICY_ENGINE=opa']);
    expect(problems({ ORDERS_POLICY_ENGINE: 'opa', OPA_TIMEOUT_MS: 'soon' })).toEqual([
      expect.stringMatching(/^OPA_TIMEOUT_MS: /),
      'OPA_URL: required when ORDERS_POLICY_ENGINE=opa',
    ]);
  });

  it('are the variables the program declares, and checked before the service starts', () => {
    expect(ORDERS_PROGRAM.ownEnvVariables).toEqual([
      'ORDERS_POLICY_ENGINE',
      'OPA_URL',
      'OPA_TIMEOUT_MS',
      'INVENTORY_URL',
      'INVENTORY_TIMEOUT_MS',
    ]);
    expect(() => ORDERS_PROGRAM.checkEnv!({ ORDERS_POLICY_ENGINE: 'cedar' })).not.toThrow();
    expect(() => ORDERS_PROGRAM.checkEnv!({ ORDERS_POLICY_ENGINE: 'opa' })).toThrow(ConfigError);
  });
});

describe('orders over HTTP with a policy engine', () => {
  let key: TestSigningKey;
  const logs: Record<string, any>[] = [];
  const servers: RunningServer[] = [];
  const closers: (() => Promise<void>)[] = [];

  async function serve(policy: PolicyEngine) {
    const { db, service } = await createOrdersFixture({ policy });
    closers.push(() => db.close());
    const server = await serveBehindIdentityGuard(
      service,
      key,
      createLogger('orders', 'info', { write: (line: string) => void logs.push(JSON.parse(line)) }),
    );
    servers.push(server);
    return async (who: string, query: string) => {
      const token = await mintIdentity(viewer(who), { audience: 'orders', key });
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [IDENTITY_HEADER]: token },
        body: JSON.stringify({ query }),
      });
      return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
    };
  }

  async function unusedPort() {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as AddressInfo;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return port;
  }

  beforeAll(async () => {
    key = await createTestSigningKey();
  });
  afterAll(async () => {
    for (const server of servers) await server.stop();
    for (const close of closers) await close();
  });

  it('audits a Cedar denial with the rule in words and the engine that decided', async () => {
    const as = await serve(createOrdersCedarEngine());
    const { body } = await as('bob', '{ order(id: "order-1") { id } }');
    expect(body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(logs.find((line) => line.event === 'authorization.denied')).toMatchObject({
      rule: "Only the order's owner, warehouse staff and admins can read an order",
      reason: 'FORBIDDEN',
      engine: 'cedar',
    });
  }, 60_000);

  it('fails closed when OPA cannot be reached: an internal error for the caller, the cause in the log', async () => {
    const opaUrl = `http://127.0.0.1:${await unusedPort()}`;
    const as = await serve(createOpaEngine({ url: opaUrl, packagePath: 'order', timeoutMs: 500 }));
    logs.length = 0;
    const { status, body } = await as('alice', 'mutation { cancelOrder(id: "order-1") { id status } }');
    expect(status).toBe(200);
    expect(body.data).toBeNull();
    expect(body.errors).toEqual([
      expect.objectContaining({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }),
    ]);
    expect(JSON.stringify(body)).not.toContain(opaUrl);
    expect(logs.some((line) => line.event === 'authorization.denied')).toBe(false);
    expect(logs.find((line) => line.msg === 'unexpected error')?.err?.message).toMatch(
      /opa policy engine gave no decision: unreachable/,
    );
  }, 60_000);
});
