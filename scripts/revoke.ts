/**
 * `npm run revoke -- --jti <id> [--exp <seconds>] [--sub <user>]` ends one token;
 * `npm run revoke -- --sub <user>` ends every token of a user issued until now ("log out
 * everywhere", a disabled account). Written to Redis (REDIS_URL) for every gateway replica, or
 * sent to one gateway's admin endpoint with `--admin-url` (REVOCATION_ADMIN_TOKEN). Reads the
 * gateway's own configuration, so run it with the gateway's environment.
 */
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { readGatewayConfig } from '../gateway/src/config.ts';
import { revocationFor, type RevocationRequest } from '../gateway/src/auth/revocation/revocationRequest.ts';
import { storeRevocation } from '../gateway/src/auth/revocation/revocations.ts';
import { revocationPrefix } from '../gateway/src/auth/tokenStores.ts';

const USAGE = `Usage: npm run revoke -- --jti <token id> [--exp <epoch seconds>] [--sub <user>]
       npm run revoke -- --sub <user>
       add --admin-url http://<gateway>:<METRICS_PORT> to go through a gateway's endpoint instead of Redis

  --jti        the token's jti: that token alone is refused from now on (kept until --exp)
  --exp        the token's exp, so the entry goes when the token would have (default: the longest a token lives)
  --sub        alone: every token of that user issued until now is refused; with --jti: whose token it is
  --admin-url  POST to that gateway's /revocations with REVOCATION_ADMIN_TOKEN (needed without REDIS_URL)`;

class UsageError extends Error {}

async function main(args: string[]): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      jti: { type: 'string' },
      sub: { type: 'string' },
      exp: { type: 'string' },
      'admin-url': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return USAGE;
  const request: RevocationRequest = {
    ...(values.jti === undefined ? {} : { jti: values.jti }),
    ...(values.sub === undefined ? {} : { sub: values.sub }),
    ...(values.exp === undefined ? {} : { exp: Number(values.exp) }),
  };
  const config = readGatewayConfig();
  if (values['admin-url']) return viaAdminEndpoint(values['admin-url'], request, config.clientAuth.tokens.revocation.adminToken);
  const redisSettings = config.rateLimits.redis;
  if (!redisSettings) {
    throw new UsageError('without REDIS_URL each gateway keeps its own revocations: pass --admin-url of the gateway');
  }
  const { maxAgeSeconds, clockToleranceSeconds, tokens } = config.clientAuth;
  const revocation = revocationFor(request, Date.now() / 1000, maxAgeSeconds + clockToleranceSeconds);
  if (typeof revocation === 'string') throw new UsageError(`${revocation} (see --help)`);
  const redis = new Redis(redisSettings.url, {
    connectTimeout: redisSettings.connectTimeoutMs,
    commandTimeout: 5_000,
    maxRetriesPerRequest: 1,
    retryStrategy: () => null,
  });
  try {
    await storeRevocation(redis, revocationPrefix(tokens), revocation);
  } finally {
    redis.disconnect();
  }
  return `revoked ${JSON.stringify(revocation)}`;
}

async function viaAdminEndpoint(adminUrl: string, request: RevocationRequest, adminToken: string | undefined): Promise<string> {
  if (!adminToken) throw new UsageError('--admin-url needs REVOCATION_ADMIN_TOKEN (or REVOCATION_ADMIN_TOKEN_FILE)');
  const response = await fetch(new URL('/revocations', adminUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
    body: JSON.stringify(request),
    signal: AbortSignal.timeout(10_000),
  });
  const body = await response.text();
  if (!response.ok) throw new UsageError(`the gateway answered ${response.status}: ${body}`);
  return `revoked ${body}`;
}

try {
  console.log(await main(process.argv.slice(2)));
} catch (error) {
  console.error(`revoke: ${(error as Error).message}`);
  process.exit(1);
}
