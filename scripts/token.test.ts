/** The token CLI as a shell user runs it: `TOKEN=$(npm run -s token -- ...)`. */
import { execFile } from 'node:child_process';
import { decodeJwt } from 'jose';
import { describe, expect, it } from 'vitest';
import { viewerFromClaims } from '#identity';

const root = new URL('..', import.meta.url).pathname;

function token(args: string[], env: NodeJS.ProcessEnv = {}) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const options = { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env }, timeout: 50_000 };
    const child = execFile('npm', ['run', '-s', 'token', '--', ...args], options, (_error, stdout, stderr) =>
      resolve({ code: child.exitCode, stdout, stderr }),
    );
  });
}

describe('npm run -s token', { timeout: 60_000 }, () => {
  it('prints the token alone, for TOKEN=$(...)', async () => {
    const run = await token(['--sub', 'alice', '--roles', 'admin']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+\n$/);
    expect(decodeJwt(run.stdout.trim())).toMatchObject({ sub: 'alice', roles: ['admin'] });
  });

  it('puts the roles where JWT_ROLES_CLAIM says, nested for a dotted path', async () => {
    const run = await token(['--sub', 'wendy', '--roles', 'warehouse_staff'], { JWT_ROLES_CLAIM: 'realm_access.roles' });
    const payload = decodeJwt(run.stdout.trim());
    expect(payload).toMatchObject({ realm_access: { roles: ['warehouse_staff'] } });
    expect(payload).not.toHaveProperty('roles');
    expect(viewerFromClaims(payload, 'realm_access.roles').roles).toEqual(['warehouse_staff']);
  });

  it('--help prints the usage and exits 0', async () => {
    const run = await token(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm run -s token -- --sub <user>/);
  });

  it.each([
    [['--sub', 'alice', '--colour', 'red'], /^token: Unknown option '--colour'/],
    [['--sub', 'alice', '--expires', 'soon'], /^token: --expires soon: not a time span such as 30s, 15m, 1h or 7d$/],
    [['--roles', 'admin'], /^token: --sub is required \(see --help\)$/],
  ])('refuses %j in one line, exit 1, no stack trace', async (args, message) => {
    const run = await token(args);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr.trim()).toMatch(message);
  });
});
