/**
 * docker-compose.yml is not run here (no Docker engine), so it is checked against the code: every
 * service's command, port and environment must be what the service itself reads.
 */
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { subgraphEnvNames, subgraphEnvVariables, type SubgraphProgram } from '#kit';
import { GATEWAY_ENV_NAMES } from '../gateway/src/config.ts';
import { ORDERS_PROGRAM } from '../subgraphs/orders/src/service.ts';
import { PAYMENTS_PROGRAM } from '../subgraphs/payments/src/service.ts';
import { INVENTORY_PROGRAM } from '../subgraphs/inventory/src/service.ts';

interface ComposeService {
  command?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  build?: string;
  image?: string;
  profiles?: string[];
  volumes?: string[];
}

const root = new URL('..', import.meta.url);
const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8'), { merge: true }) as {
  services: Record<string, ComposeService>;
};
const scripts = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).scripts as Record<string, string>;
const SUBGRAPHS: SubgraphProgram[] = [ORDERS_PROGRAM, PAYMENTS_PROGRAM, INVENTORY_PROGRAM];
/** Read by Node itself or by libraries, not by our config modules. */
const RUNTIME_ENV = ['NODE_ENV', 'APOLLO_TELEMETRY_DISABLED'];

const service = (name: string) => {
  const found = compose.services[name];
  if (!found) throw new Error(`docker-compose.yml has no service ${name}`);
  return found;
};
const scriptOf = (npmScript: string) => scripts[npmScript]!.replace(/^exec node --import tsx /, '');
const build = parse(readFileSync(new URL('tsconfig.build.json', root), 'utf8')) as {
  compilerOptions: { outDir: string; rootDir: string };
  include: string[];
  exclude: string[];
};
/** Where `npm run build` puts a source file: tsconfig.build.json's rootDir mapped onto its outDir. */
const builtFile = (source: string) => {
  const relative = posix.relative(build.compilerOptions.rootDir, source);
  return posix.join(build.compilerOptions.outDir, relative.replace(/\.ts$/, '.js'));
};
const builtCommand = (npmScript: string) => ['node', builtFile(scriptOf(npmScript))];
const dockerfile = readFileSync(new URL('Dockerfile', root), 'utf8');
const healthPort = (svc: ComposeService) => Number(/localhost:(\d+)\/health/.exec(svc.healthcheck!.test.join(' '))?.[1]);
const publishedPort = (svc: ComposeService) => Number(svc.ports![0]!.split(':')[1]);

describe('docker-compose.yml', () => {
  it('has PostgreSQL, the gateway and every subgraph', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['gateway', 'inventory', 'opa', 'orders', 'payments', 'postgres']);
  });

  describe('the opa service', () => {
    const svc = service('opa');
    const [, policyFile, mode] = /^\.\/(.+):\/policy\/order\.rego:(ro)$/.exec(svc.volumes?.[0] ?? '') ?? [];

    it('is the official image, pinned, started only with the opa profile', () => {
      expect(svc.image).toMatch(/^openpolicyagent\/opa:1\.\d+\.\d+$/);
      expect(svc.profiles).toEqual(['opa']);
    });

    it("serves orders' Rego policy, mounted read-only, on the port orders asks", () => {
      expect(mode).toBe('ro');
      expect(readFileSync(new URL(policyFile!, root), 'utf8')).toMatch(/^package order$/m);
      expect(svc.command?.slice(0, 3)).toEqual(['run', '--server', '--addr=0.0.0.0:8181']);
      expect(svc.command?.at(-1)).toBe('/policy/order.rego');
      expect(service('orders').environment!.OPA_URL).toBe('http://opa:8181');
    });

    it('is what orders uses when started with ORDERS_POLICY_ENGINE=opa, the in-code rules otherwise', () => {
      expect(service('orders').environment!.ORDERS_POLICY_ENGINE).toBe('${ORDERS_POLICY_ENGINE:-shield}');
    });
  });

  describe.each(SUBGRAPHS.map((program) => [program.name, program] as const))('the %s service', (name, program) => {
    const svc = service(name);
    const env = svc.environment ?? {};
    const port = Number(env[subgraphEnvNames(name).port]);

    it('runs the build of the entry point npm run start:<name> runs', () => {
      expect(svc.command).toEqual(builtCommand(`start:${name}`));
    });

    it('listens, publishes and health-checks one port, its default', () => {
      expect(port).toBe(program.defaultPort);
      expect(publishedPort(svc)).toBe(port);
      expect(healthPort(svc)).toBe(port);
    });

    it('sets only variables the service reads', () => {
      const known = new Set([...subgraphEnvVariables(name), ...(program.ownEnvVariables ?? []), ...RUNTIME_ENV]);
      expect(Object.keys(env).filter((variable) => !known.has(variable))).toEqual([]);
    });

    it('uses PostgreSQL, trusts the gateway JWKS, and waits for a healthy database', () => {
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\/.+@postgres:5432\//);
      expect(env.GATEWAY_JWKS_URL).toBe(`http://gateway:${service('gateway').environment!.PORT}/.well-known/jwks.json`);
      expect(svc.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
    });
  });

  describe('the gateway service', () => {
    const svc = service('gateway');
    const env = svc.environment ?? {};

    it('runs the build of the entry point npm run start:gateway runs, on one port', () => {
      expect(svc.command).toEqual(builtCommand('start:gateway'));
      expect(publishedPort(svc)).toBe(Number(env.PORT));
      expect(healthPort(svc)).toBe(Number(env.PORT));
    });

    it('sets only variables the gateway reads', () => {
      const known = new Set([...GATEWAY_ENV_NAMES, ...RUNTIME_ENV]);
      expect(Object.keys(env).filter((variable) => !known.has(variable))).toEqual([]);
    });

    it('points at each subgraph by service name and port', () => {
      for (const program of SUBGRAPHS) {
        const port = service(program.name).environment![subgraphEnvNames(program.name).port];
        expect(env[`${program.name.toUpperCase()}_URL`]).toBe(`http://${program.name}:${port}/graphql`);
      }
    });

    it('points each onward call where the gateway points: payments at orders, orders at inventory', () => {
      expect(service('payments').environment!.ORDERS_URL).toBe(env.ORDERS_URL);
      expect(service('orders').environment!.INVENTORY_URL).toBe(env.INVENTORY_URL);
    });

    it('has everything production requires: an external identity provider and a shared signing key', () => {
      expect(env.NODE_ENV).toBe('production');
      for (const variable of ['JWT_JWKS_URL', 'JWT_ISSUER', 'JWT_AUDIENCE', 'IDENTITY_SIGNING_KEY']) {
        expect(env[variable], variable).toMatch(/^\$\{[A-Z_]+:\?.+\}$/);
      }
    });

    it('starts once every subgraph is healthy', () => {
      expect(svc.depends_on).toEqual(
        Object.fromEntries(SUBGRAPHS.map((program) => [program.name, { condition: 'service_healthy' }])),
      );
    });
  });

  it('builds every application service from the one Dockerfile', () => {
    for (const name of ['gateway', ...SUBGRAPHS.map((program) => program.name)]) expect(service(name).build).toBe('.');
    expect(dockerfile).toMatch(/FROM node:26-bookworm-slim AS runtime/);
    expect(dockerfile).toMatch(/npm ci --omit=dev/);
    expect(dockerfile).toMatch(/^USER node$/m);
  });
});

describe('the Dockerfile', () => {
  const runtimeStage = dockerfile.slice(dockerfile.indexOf('AS runtime'));
  const cmd = JSON.parse(/^CMD (\[.*\])$/m.exec(runtimeStage)?.[1] ?? 'null') as string[] | null;

  it('runs the built gateway by default, with plain node', () => {
    expect(cmd).toEqual(builtCommand('start:gateway'));
  });

  it('builds every service entry point, and no test or test helper', () => {
    const sources = ['gateway', 'orders', 'payments', 'inventory'].map((name) => scriptOf(`start:${name}`));
    const folders = build.include.map((folder) => new RegExp(`^${folder.replaceAll('*', '[^/]+')}/`));
    for (const source of sources)
      expect(
        folders.some((folder) => folder.test(source)),
        source,
      ).toBe(true);
    expect(build.exclude).toEqual(expect.arrayContaining(['**/*.test.ts', '**/testing.ts']));
  });

  it('ships the build and production dependencies only, with no TypeScript runner', () => {
    expect(runtimeStage).toMatch(/COPY --from=build \/app\/dist \.\/dist/);
    expect(runtimeStage).not.toMatch(/tsx|COPY (gateway|subgraphs|scripts)/);
    expect(JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).dependencies).not.toHaveProperty('tsx');
  });

  it('gives the non-root user a writable data folder, the default DATA_DIR, and checks health', () => {
    expect(runtimeStage).toMatch(/DATA_DIR=\/app\/data/);
    expect(runtimeStage).toMatch(/chown node:node \/app\/data/);
    expect(runtimeStage).toMatch(/^HEALTHCHECK [\s\S]*\/health/m);
  });
});
