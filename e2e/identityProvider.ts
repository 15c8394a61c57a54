/**
 * A real OpenID Connect provider (oidc-provider) on a loopback port, for end-to-end tests of the
 * gateway's JWKS verification. Machine clients log in with the client-credentials grant and a
 * resource indicator, which yields JWT access tokens; each demo user is a client here, and its
 * roles travel in a Keycloak-style `realm_access.roles` claim.
 *
 * The signing keys can be rotated (a new provider instance with another key set answers on the
 * same port), and the provider can be taken down and brought back.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import Provider from 'oidc-provider';
import { dpopProof, type DpopHolder } from './dpop.ts';

export const API_AUDIENCE = 'federation-api';

/** Resource indicators the provider knows: which audience, algorithm and lifetime each gets. */
export const RESOURCES = {
  rs256: { indicator: 'https://api.example.test/rs256', alg: 'RS256', audience: API_AUDIENCE, ttl: 600 },
  es256: { indicator: 'https://api.example.test/es256', alg: 'ES256', audience: API_AUDIENCE, ttl: 600 },
  shortLived: { indicator: 'https://api.example.test/short', alg: 'ES256', audience: API_AUDIENCE, ttl: 3 },
  otherApi: { indicator: 'https://other.example.test/', alg: 'ES256', audience: 'other-api', ttl: 600 },
} as const;
export type Resource = keyof typeof RESOURCES;

const ROLES: Record<string, string[]> = {
  alice: [],
  wendy: ['warehouse_staff'],
  paula: ['payment_processor'],
  ada: ['admin'],
};
const secretOf = (client: string) => `${client}-client-secret-0123456789`;

export interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateJwk: JWK;
}

export async function newSigningKey(kid: string, alg: 'RS256' | 'ES256'): Promise<SigningKey> {
  const { privateKey } = await generateKeyPair(alg, { extractable: true });
  return { kid, alg, privateJwk: { ...(await exportJWK(privateKey)), kid, alg, use: 'sig' } };
}

/**
 * An admin's token in the provider's format for the API, signed with `key`, which `issuer` may
 * never have published: what a forger would send.
 */
export function forgedToken(issuer: string, key: SigningKey, options: { kid?: string; claims?: Record<string, unknown> } = {}) {
  return new SignJWT({ realm_access: { roles: ['admin'] }, ...options.claims })
    .setProtectedHeader({ alg: key.alg, kid: options.kid ?? key.kid, typ: 'at+jwt' })
    .setIssuer(issuer)
    .setAudience(API_AUDIENCE)
    .setSubject('ada')
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(key.privateJwk);
}

export interface IdentityProvider {
  readonly issuer: string;
  readonly jwksUrl: string;
  /** Logs `client` in (client credentials) and returns the JWT access token for `resource`. */
  token(client: string, resource?: Resource): Promise<string>;
  /** The same with a DPoP proof of `holder`'s key: the token comes bound to it (`cnf.jkt`). */
  dpopToken(client: string, holder: DpopHolder, resource?: Resource): Promise<string>;
  /**
   * Publishes `keys` from now on; the first key of each algorithm signs. Like a real rotation,
   * the key set a token was signed with can differ from the one the gateway cached.
   */
  useKeys(keys: SigningKey[]): void;
  /** 'down': connections refused; 'jwks-503': the JWKS endpoint alone answers 503; 'up': normal. */
  setState(state: 'up' | 'down' | 'jwks-503'): Promise<void>;
  stop(): Promise<void>;
}

/** oidc-provider's storage interface, in memory: this provider only lives as long as a test file. */
class MemoryStore {
  static readonly entries = new Map<string, Record<string, unknown>>();
  constructor(private readonly model: string) {}
  private key = (id: string) => `${this.model}:${id}`;
  async upsert(id: string, payload: Record<string, unknown>) {
    MemoryStore.entries.set(this.key(id), payload);
  }
  async find(id: string) {
    return MemoryStore.entries.get(this.key(id));
  }
  async findByUid(uid: string) {
    return [...MemoryStore.entries.values()].find((payload) => payload.uid === uid);
  }
  async findByUserCode(userCode: string) {
    return [...MemoryStore.entries.values()].find((payload) => payload.userCode === userCode);
  }
  async consume(id: string) {
    const payload = MemoryStore.entries.get(this.key(id));
    if (payload) payload.consumed = Math.floor(Date.now() / 1000);
  }
  async destroy(id: string) {
    MemoryStore.entries.delete(this.key(id));
  }
  async revokeByGrantId(grantId: string) {
    for (const [key, payload] of MemoryStore.entries) if (payload.grantId === grantId) MemoryStore.entries.delete(key);
  }
}

function providerFor(issuer: string, keys: SigningKey[]): Provider {
  const signingKid = (alg: string) => keys.find((key) => key.alg === alg)?.kid;
  const provider = new Provider(issuer, {
    clients: Object.keys(ROLES).map((client) => ({
      client_id: client,
      client_secret: secretOf(client),
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    adapter: MemoryStore,
    jwks: { keys: keys.map((key) => key.privateJwk) },
    features: {
      devInteractions: { enabled: false },
      // Tokens requested with a DPoP proof come bound to its key (cnf.jkt).
      dPoP: { enabled: true },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => undefined,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx: unknown, indicator: string) => {
          const resource = Object.values(RESOURCES).find((candidate) => candidate.indicator === indicator);
          if (!resource) throw new Error(`unknown resource ${indicator}`);
          return {
            scope: 'api',
            audience: resource.audience,
            accessTokenTTL: resource.ttl,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: resource.alg, kid: signingKid(resource.alg) } },
          };
        },
      },
    },
    extraTokenClaims: (_ctx: unknown, token: { clientId?: string }) => ({
      realm_access: { roles: ROLES[token.clientId ?? ''] ?? [] },
    }),
  });
  return provider;
}

async function requestToken(issuer: string, client: string, resource: Resource, headers: Record<string, string> = {}) {
  const response = await fetch(`${issuer}/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client}:${secretOf(client)}`).toString('base64')}`,
      ...headers,
    },
    body: new URLSearchParams({ grant_type: 'client_credentials', resource: RESOURCES[resource].indicator, scope: 'api' }),
  });
  const body = (await response.json()) as { access_token?: string; token_type?: string; error?: string };
  if (!response.ok || !body.access_token) throw new Error(`token request failed: ${response.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

export async function startIdentityProvider(initialKeys: SigningKey[]): Promise<IdentityProvider> {
  let state: 'up' | 'down' | 'jwks-503' = 'up';
  let handler: (req: IncomingMessage, res: ServerResponse) => void = () => {};
  const serve = (req: IncomingMessage, res: ServerResponse) => {
    // No keep-alive: after a restart on the same port, no client holds a dead pooled connection.
    res.setHeader('connection', 'close');
    if (state === 'jwks-503' && req.url?.startsWith('/jwks')) {
      res.writeHead(503, { 'content-type': 'text/plain' }).end('maintenance');
      return;
    }
    handler(req, res);
  };
  let server: Server = createServer(serve);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const issuer = `http://127.0.0.1:${port}`;

  const useKeys = (keys: SigningKey[]) => {
    handler = providerFor(issuer, keys).callback();
  };
  useKeys(initialKeys);

  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });

  return {
    issuer,
    jwksUrl: `${issuer}/jwks`,
    useKeys,
    token: (client, resource = 'es256') => requestToken(issuer, client, resource),
    async dpopToken(client, holder, resource = 'es256') {
      const proof = await dpopProof(holder, { htm: 'POST', htu: `${issuer}/token` });
      return requestToken(issuer, client, resource, { dpop: proof });
    },
    async setState(next) {
      if (next === 'down' && state !== 'down') await close();
      if (next !== 'down' && state === 'down') {
        server = createServer(serve);
        await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
      }
      state = next;
    },
    async stop() {
      if (state !== 'down') await close();
    },
  };
}
