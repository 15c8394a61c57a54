/**
 * `node dist/scripts/demoTokens.js` (the demo-tokens service of docker-compose.yml): a client token
 * for each demo user, one `user (roles): token` line each, signed as `npm run token` signs
 * (JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE and JWT_ROLES_CLAIM as configured, else the development
 * defaults the demo gateway accepts). Part of the build so the image needs no TypeScript runner.
 */
import { DEMO_USERS, mintClientToken } from './clientTokens.ts';

for (const user of DEMO_USERS) {
  const roles = user.roles?.length ? user.roles.join(', ') : 'customer';
  console.log(`${user.sub} (${roles}): ${await mintClientToken({ ...user, expiresIn: '12h' })}`);
}
