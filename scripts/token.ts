/**
 * `npm run -s token -- --sub alice [--roles admin,warehouse_staff] [--email a@example.com] [--expires 1h]`
 * prints a client token and nothing else, so `TOKEN=$(npm run -s token -- --sub alice)` works
 * (`-s` silences npm's own banner). Bad input: one line on stderr, exit 1.
 */
import { parseArgs } from 'node:util';
import { mintClientToken } from './clientTokens.ts';

const USAGE = `Usage: npm run -s token -- --sub <user> [--roles <role,role>] [--email <address>] [--expires <span>]

Prints a client token the local gateway accepts (JWT_SECRET, JWT_ISSUER, JWT_AUDIENCE and
JWT_ROLES_CLAIM as configured, else the development defaults).

  --sub      the user id (required), e.g. alice
  --roles    comma-separated roles: admin, warehouse_staff, payment_processor (none: a customer)
  --email    an email claim
  --expires  how long it is valid: 30s, 15m, 1h (default), 7d
  --help     this text`;

class UsageError extends Error {}

async function main(args: string[]): Promise<string> {
  const { values } = parseArgs({
    args,
    options: {
      sub: { type: 'string' },
      roles: { type: 'string', default: '' },
      email: { type: 'string' },
      expires: { type: 'string', default: '1h' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) return USAGE;
  if (!values.sub) throw new UsageError('--sub is required (see --help)');
  if (!/^\d+\s?(s|m|h|d|w)$/.test(values.expires)) {
    throw new UsageError(`--expires ${values.expires}: not a time span such as 30s, 15m, 1h or 7d`);
  }
  return mintClientToken({
    sub: values.sub,
    roles: values.roles
      .split(',')
      .map((role) => role.trim())
      .filter(Boolean),
    ...(values.email ? { email: values.email } : {}),
    expiresIn: values.expires,
  });
}

try {
  console.log(await main(process.argv.slice(2)));
} catch (error) {
  // parseArgs' own errors (unknown flag, missing value) are usage errors too, and one line each.
  console.error(`token: ${(error as Error).message}`);
  process.exit(1);
}
