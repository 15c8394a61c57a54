/**
 * A client token for each demo user, ready to paste into Sandbox's Authorization header, signed as
 * `npm run token` signs (JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE and JWT_ROLES_CLAIM as configured,
 * else the development defaults the demo gateway accepts). `npm start` runs it once every service
 * answers, in a process of its own so the launcher never holds the signing code; the image runs it
 * as `node dist/scripts/demoTokens.js` (the demo-tokens service of docker-compose.yml). When no
 * token can be minted here (an external identity provider), it says why in one line and exits 0.
 */
import { DEMO_USERS, mintClientToken } from './clientTokens.ts';

async function demoTokens(): Promise<string> {
  try {
    const tokens = await Promise.all(
      DEMO_USERS.map(async (user) => ({ user, token: await mintClientToken({ ...user, expiresIn: '12h' }) })),
    );
    const lines = tokens.map(
      ({ user, token }) => `  ${user.sub.padEnd(6)} ${(user.roles ?? []).join(',') || 'customer'}\n  Bearer ${token}\n`,
    );
    return `Paste one of these into Sandbox's Authorization header (valid 12 hours):\n${lines.join('\n')}`;
  } catch (error) {
    return `No demo tokens: ${(error as Error).message}.\n`;
  }
}

process.stdout.write(await demoTokens());
