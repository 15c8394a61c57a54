/**
 * Revocation across replicas: two gateway processes share the machine's Redis. A token revoked at
 * one (through its admin endpoint on the metrics port, or with `npm run revoke`) is refused at the
 * other within the stated bound; a revocation whose announcement was lost is caught by the resync.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '#platform/testing';
import { startChildService, waitForHealth, type ChildService } from './childService.ts';
import { connectTestRedis, deleteKeys, REDIS_URL, redisAnswers } from './redis.ts';
import { spawnIn } from './spawned.ts';

const SECRET = 'revocation-e2e-secret-long-enough-for-hs256';
const ISSUER = 'https://issuer.test/';
const AUDIENCE = 'federation-api';
const ADMIN_TOKEN = randomBytes(24).toString('hex');
const PREFIX = `test:tokens:${randomBytes(6).toString('hex')}:`;
/** Pub/sub carries a revocation to every replica in milliseconds; this is the bound the docs state. */
const PUBSUB_BOUND_MS = 1_000;
const RESYNC_SECONDS = 2;

interface Replica {
  service: ChildService;
  graphqlUrl: string;
  adminUrl: string;
}

const sharedEnv: NodeJS.ProcessEnv = {
  JWT_SECRET: SECRET,
  JWT_ISSUER: ISSUER,
  JWT_AUDIENCE: AUDIENCE,
  REDIS_URL,
  TOKEN_REDIS_PREFIX: PREFIX,
  REVOCATION_ADMIN_TOKEN: ADMIN_TOKEN,
  REVOCATION_RESYNC_SECONDS: String(RESYNC_SECONDS),
  IDENTITY_SIGNING_KEY: generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  HOST: '127.0.0.1',
  // Nothing here reaches a subgraph: `{ __typename }` is answered by the gateway itself.
  ORDERS_URL: 'http://127.0.0.1:9/graphql',
  PAYMENTS_URL: 'http://127.0.0.1:9/graphql',
  INVENTORY_URL: 'http://127.0.0.1:9/graphql',
};

async function startReplica(): Promise<Replica> {
  const [port, metricsPort] = [await freePort(), await freePort()];
  const service = startChildService('gateway/src/main.ts', {
    ...sharedEnv,
    PORT: String(port),
    METRICS_PORT: String(metricsPort),
  });
  await waitForHealth(port, service);
  return { service, graphqlUrl: `http://127.0.0.1:${port}/graphql`, adminUrl: `http://127.0.0.1:${metricsPort}` };
}

const redisUp = await redisAnswers();
let replicas: [Replica, Replica];

beforeAll(async () => {
  if (!redisUp) return;
  replicas = [await startReplica(), await startReplica()];
}, 180_000);
afterAll(async () => {
  for (const replica of replicas ?? []) {
    replica.service.child.kill('SIGTERM');
    await replica.service.exited;
  }
  if (!redisUp) return;
  const redis = connectTestRedis();
  await redis.connect();
  await deleteKeys(redis, PREFIX);
  redis.disconnect();
});

const now = () => Math.floor(Date.now() / 1000);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function token(sub: string, jti = randomBytes(8).toString('hex')) {
  return new SignJWT({ roles: [] })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(sub)
    .setJti(jti)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(now() + 600)
    .sign(new TextEncoder().encode(SECRET));
}

async function statusAt(replica: Replica, bearer: string): Promise<{ status: number; challenge: string | null }> {
  const response = await fetch(replica.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
    body: JSON.stringify({ query: '{ __typename }' }),
    signal: AbortSignal.timeout(5_000),
  });
  await response.body?.cancel();
  return { status: response.status, challenge: response.headers.get('www-authenticate') };
}

/** How long after `since` the replica first refused the token; throws past `withinMs`. */
async function refusedWithin(replica: Replica, bearer: string, since: number, withinMs: number): Promise<number> {
  while (Date.now() - since <= withinMs) {
    const { status, challenge } = await statusAt(replica, bearer);
    if (status === 401) {
      expect(challenge).toContain('The token has been revoked');
      return Date.now() - since;
    }
    await pause(20);
  }
  throw new Error(`still accepted ${withinMs} ms after the revocation`);
}

const revokeAt = (replica: Replica, body: unknown, adminToken = ADMIN_TOKEN) =>
  fetch(`${replica.adminUrl}/revocations`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(5_000),
  });

describe.skipIf(!redisUp)('revocation across two gateway processes', { timeout: 120_000 }, () => {
  it('refuses, at the other replica and within the bound, a token revoked by jti at one; other tokens still pass', async () => {
    const [a, b] = replicas;
    const jti = `jti-${randomBytes(4).toString('hex')}`;
    const [revoked, other] = [await token('alice', jti), await token('alice')];
    expect((await statusAt(b, revoked)).status).toBe(200);
    const response = await revokeAt(a, { jti, exp: now() + 600 });
    expect(response.status).toBe(201);
    const since = Date.now();
    expect((await statusAt(a, revoked)).status).toBe(401);
    expect(await refusedWithin(b, revoked, since, PUBSUB_BOUND_MS)).toBeLessThanOrEqual(PUBSUB_BOUND_MS);
    expect((await statusAt(b, other)).status).toBe(200);
  });

  it('with `npm run revoke -- --sub`, refuses every token of that user issued until then, at both; later ones pass', async () => {
    const [a, b] = replicas;
    const before = await token('bob');
    expect((await statusAt(a, before)).status).toBe(200);
    const command = spawnIn(process.execPath, ['--import', 'tsx', 'scripts/revoke.ts', '--sub', 'bob'], sharedEnv);
    expect(await command.exited, command.output()).toBe(0);
    expect(command.output()).toContain('"kind":"subject"');
    const since = Date.now();
    await refusedWithin(a, before, since, PUBSUB_BOUND_MS);
    await refusedWithin(b, before, since, PUBSUB_BOUND_MS);
    await pause(1_100);
    expect((await statusAt(b, await token('bob'))).status).toBe(200);
  });

  it('catches, by the periodic resync, a revocation whose announcement no replica heard', async () => {
    const [, b] = replicas;
    const jti = `unannounced-${randomBytes(4).toString('hex')}`;
    const revoked = await token('carol', jti);
    expect((await statusAt(b, revoked)).status).toBe(200);
    const redis = connectTestRedis();
    await redis.connect();
    const until = now() + 600;
    await redis.set(`${PREFIX}revoked:token:${jti}`, JSON.stringify({ kind: 'token', jti, until }), 'PXAT', until * 1000);
    redis.disconnect();
    await refusedWithin(b, revoked, Date.now(), RESYNC_SECONDS * 1000 + 1_000);
  });

  it('serves the admin endpoint on the metrics port only, behind its own secret, and refuses bad requests', async () => {
    const [a] = replicas;
    const onClientPort = await fetch(a.graphqlUrl.replace(/\/graphql$/, '/revocations'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ sub: 'dave' }),
    });
    expect(onClientPort.status).toBe(404);
    expect((await revokeAt(a, { sub: 'dave' }, 'not-the-admin-token-but-long-enough-0123')).status).toBe(401);
    expect((await revokeAt(a, { sub: 'dave' }, '')).status).toBe(401);
    const bad = await revokeAt(a, { jti: 42 });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: 'jti must be a non-empty string' });
    expect((await statusAt(a, await token('dave'))).status).toBe(200);
  });
});
