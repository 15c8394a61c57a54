import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { createIdentitySigner } from '#identity';
import { viewer } from '#identity/testing';
import { createLogger } from '#platform';
import { readGatewayConfig } from '../config.ts';
import { createTokenChecks } from './tokenChecks.ts';

describe('createTokenChecks without Redis', () => {
  it("refuses a revoked subject's tokens at once and drops the identity tokens signed for them", async () => {
    const signer = await createIdentitySigner({ issuer: 'federation-gateway' });
    const config = readGatewayConfig({ REVOCATION_ADMIN_TOKEN: 'a'.repeat(32) }).clientAuth;
    const checks = createTokenChecks(config, undefined, signer, createLogger('test', 'silent'));
    const alice = viewer('alice');
    const cached = await signer.sign(alice, 'orders');
    const issuedBefore = { viewer: alice, iat: Math.floor(Date.now() / 1000) - 1, exp: Math.floor(Date.now() / 1000) + 60 };
    expect(checks.authenticate.isRevoked!(issuedBefore)).toBe(false);

    const response = await revokeThrough(checks.adminRoute!, { sub: 'alice' });
    expect(response.status).toBe(201);
    expect(checks.authenticate.isRevoked!(issuedBefore)).toBe(true);
    expect(await signer.sign(alice, 'orders')).not.toBe(cached);
    await checks.close();
  });

  it('answers a malformed body at the revocation endpoint with a JSON 400, no stack', async () => {
    const signer = await createIdentitySigner({ issuer: 'federation-gateway' });
    const config = readGatewayConfig({ REVOCATION_ADMIN_TOKEN: 'a'.repeat(32) }).clientAuth;
    const checks = createTokenChecks(config, undefined, signer, createLogger('test', 'silent'));
    const response = await revokeThrough(checks.adminRoute!, '{"sub": ');
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: 'the body must be a small JSON object' });
    await checks.close();
  });
});

/** Runs the admin route on an ephemeral loopback port for one request. */
async function revokeThrough(route: RequestListener, body: unknown): Promise<Response> {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const server = createServer(route).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await fetch(`http://127.0.0.1:${port}/revocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${'a'.repeat(32)}` },
      body: text,
    });
  } finally {
    server.close();
  }
}
