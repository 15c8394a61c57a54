/** `npm run token -- --sub alice --roles admin [--email a@x] [--expires 1h]` */
import { parseArgs } from 'node:util';
import { mintClientToken } from './clientTokens.ts';

const { values } = parseArgs({
  options: {
    sub: { type: 'string' },
    roles: { type: 'string', default: '' },
    email: { type: 'string' },
    expires: { type: 'string', default: '1h' },
  },
});

if (!values.sub) {
  console.error('Usage: npm run token -- --sub alice [--roles admin,warehouse_staff] [--email a@example.com] [--expires 1h]');
  process.exit(1);
}

const token = await mintClientToken({
  sub: values.sub,
  roles: values.roles.split(',').map((role) => role.trim()).filter(Boolean),
  ...(values.email ? { email: values.email } : {}),
  expiresIn: values.expires,
});
console.log(token);
