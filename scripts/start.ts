/**
 * `npm start`: the gateway and the three subgraphs, each its own process in this process group,
 * logs prefixed, demo tokens printed once everything answers /health. Ctrl-C or SIGTERM stops all.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { DEMO_USERS, mintClientToken } from './clientTokens.ts';

const SERVICES = [
  { name: 'gateway', script: 'gateway/src/main.ts', health: 'http://localhost:4000/health' },
  { name: 'orders', script: 'subgraphs/orders/src/main.ts', health: 'http://localhost:4001/health' },
  { name: 'payments', script: 'subgraphs/payments/src/main.ts', health: 'http://localhost:4002/health' },
  { name: 'inventory', script: 'subgraphs/inventory/src/main.ts', health: 'http://localhost:4003/health' },
] as const;

const children: ChildProcess[] = [];
let stopping = false;

function launch(service: (typeof SERVICES)[number]): ChildProcess {
  // Not detached: the children stay in our process group and die with it.
  const child = spawn(process.execPath, ['--import', 'tsx', service.script], {
    env: { APOLLO_TELEMETRY_DISABLED: 'true', ...process.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const prefix = `[${service.name}]`.padEnd(12);
  for (const stream of [child.stdout!, child.stderr!]) {
    let pending = '';
    stream.on('data', (chunk: Buffer) => {
      const lines = (pending + chunk.toString()).split('\n');
      pending = lines.pop()!;
      for (const line of lines) process.stdout.write(`${prefix}${line}\n`);
    });
  }
  child.on('exit', (code, signal) => {
    if (!stopping) {
      console.error(`${prefix}exited (${signal ?? code}); stopping everything`);
      void stop(1);
    }
  });
  return child;
}

async function waitForHealth(url: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`${url} did not become healthy within ${timeoutMs / 1000}s`);
}

async function stop(code: number): Promise<never> {
  stopping = true;
  const exits = children.map((child) =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
  );
  await Promise.race([Promise.all(exits), new Promise((resolve) => setTimeout(resolve, 10_000))]);
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  process.exit(code);
}

process.once('SIGINT', () => void stop(0));
process.once('SIGTERM', () => void stop(0));

for (const service of SERVICES) children.push(launch(service));
try {
  await Promise.all(SERVICES.map((service) => waitForHealth(service.health)));
} catch (error) {
  console.error((error as Error).message);
  await stop(1);
}

const tokens = await Promise.all(
  DEMO_USERS.map(async (user) => ({ user, token: await mintClientToken({ ...user, expiresIn: '12h' }) })),
);
console.log(`
Apollo Sandbox: http://localhost:4000/graphql

Paste one of these into Sandbox's Authorization header (valid 12 hours):
${tokens.map(({ user, token }) => `  ${user.sub.padEnd(6)} ${(user.roles ?? []).join(',') || 'customer'}\n  Bearer ${token}\n`).join('\n')}`);
