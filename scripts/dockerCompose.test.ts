/**
 * docker-compose.yml is not run here (no Docker engine), so it is checked against the code: every
 * service's command, port and environment must be what the service itself reads.
 */
import { readFileSync } from 'node:fs';
import { posix } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { subgraphEnvNames, subgraphEnvVariables, type SubgraphProgram } from '#kit';
import { METRICS_PORT_OFFSET } from '#platform';
import { GATEWAY_ENV_NAMES, readGatewayConfig } from '../gateway/src/config.ts';
import { SUBGRAPH_NAMES } from '#roster';
import { PROGRAMS } from '../e2e/services.ts';

interface ComposeService {
  command?: string[];
  /** A variable with no value (null) is passed through from the operator's environment when set. */
  environment?: Record<string, string | null>;
  secrets?: string[];
  restart?: string;
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
  secrets: Record<string, { file?: string }>;
};
const scripts = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')).scripts as Record<string, string>;
/** Every subgraph of the roster, as the program that runs it. */
const SUBGRAPHS: SubgraphProgram[] = SUBGRAPH_NAMES.map((name) => PROGRAMS[name]);
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
const publishedPort = (svc: ComposeService) => Number(svc.ports![0]!.split(':').at(-2));
const gitignore = readFileSync(new URL('.gitignore', root), 'utf8').split('\n');
/** A compose secret: mounted into `svc`, read from a file under ./secrets/, which git ignores. */
const secretFile = (svc: ComposeService, name: string) => {
  expect(svc.secrets, name).toContain(name);
  return compose.secrets[name]?.file;
};
const DEMO_SERVICES = ['demo-gateway', ...SUBGRAPHS.map((program) => `demo-${program.name}`), 'demo-tokens'];
const PRODUCTION_SERVICES = ['gateway', ...SUBGRAPHS.map((program) => program.name)];
const OBSERVABILITY_SERVICES = ['otel-collector', 'jaeger', 'prometheus', 'grafana'];
/** The UIs an operator opens: on loopback only. */
const OBSERVABILITY_UIS: Record<string, number> = { jaeger: 16686, prometheus: 9090, grafana: 3000 };
const composeText = readFileSync(new URL('docker-compose.yml', root), 'utf8');

describe('docker-compose.yml', () => {
  it('has PostgreSQL, the gateway and every subgraph', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      [
        'database-roles',
        'gateway',
        'inventory',
        'opa',
        'orders',
        'payments',
        'postgres',
        'redis',
        ...DEMO_SERVICES,
        ...OBSERVABILITY_SERVICES,
      ].sort(),
    );
  });

  it('publishes the gateway alone: every other service is reachable on the compose network only, or on loopback', () => {
    const published = Object.entries(compose.services).filter(([, svc]) => svc.ports?.length);
    expect(published.map(([name]) => name).sort()).toEqual(['demo-gateway', 'gateway', ...Object.keys(OBSERVABILITY_UIS)].sort());
    for (const [name, port] of Object.entries(OBSERVABILITY_UIS))
      expect(service(name).ports).toEqual([`127.0.0.1:${port}:${port}`]);
    expect(service('gateway').ports).toEqual([`${service('gateway').environment!.PORT}:${service('gateway').environment!.PORT}`]);
  });

  it('keeps no password or key in the file: secrets come from git-ignored files under ./secrets/', () => {
    for (const [name, secret] of Object.entries(compose.secrets)) {
      expect(secret.file, name).toBe(`./secrets/${name}`);
    }
    expect(gitignore).toContain('secrets/');
    for (const [name, svc] of Object.entries(compose.services)) {
      for (const [variable, value] of Object.entries(svc.environment ?? {})) {
        expect(String(value), `${name} ${variable}`).not.toMatch(/:\/\/[^/@\s]+:[^/@\s]+@|PRIVATE KEY/);
        expect(variable, name).not.toMatch(/PASSWORD$|SECRET$|SIGNING_KEY$|DATABASE_URL$|ADMIN_TOKEN$/);
      }
    }
  });

  describe('PostgreSQL and the database roles', () => {
    const postgres = service('postgres');
    const roles = service('database-roles');
    const sqlFile = /^\.\/(.+):(\/sql\/[^:]+):ro$/.exec(roles.volumes?.[0] ?? '');
    const sql = sqlFile ? readFileSync(new URL(sqlFile[1]!, root), 'utf8') : '';
    const script = roles.command?.at(-1) ?? '';

    it("reads PostgreSQL's own password from its secret file", () => {
      expect(postgres.environment!.POSTGRES_PASSWORD_FILE).toBe('/run/secrets/postgres_password');
      expect(secretFile(postgres, 'postgres_password')).toBeDefined();
      expect(postgres.environment).not.toHaveProperty('POSTGRES_PASSWORD');
    });

    it('runs the roles SQL Kubernetes runs, once, with psql from the same image, when PostgreSQL is healthy', () => {
      expect(sqlFile?.[1]).toBe('deploy/kubernetes/base/database-roles.sql');
      expect(roles.image).toBe(postgres.image);
      expect(roles.restart).toBe('no');
      expect(roles.depends_on).toEqual({ postgres: { condition: 'service_healthy' } });
      expect(script).toContain(`psql --no-psqlrc -q "$$@" -f ${sqlFile?.[2]}`);
      expect(roles.environment).toMatchObject({ PGHOST: 'postgres', PGUSER: postgres.environment!.POSTGRES_USER });
      expect(roles.environment!.PGDATABASE).toBe(postgres.environment!.POSTGRES_DB);
    });

    it("sets every variable the SQL reads, each subgraph's from its own database URL secret", () => {
      const read = new Set(
        [...sql.matchAll(/:['"]([a-z_]+)['"]/gi)].map((match) => match[1]).filter((name) => name !== 'DBNAME'),
      );
      const loop = /for name in ([a-z ]+); do/.exec(script)?.[1]?.split(' ');
      expect(loop).toEqual(SUBGRAPHS.map((program) => program.name));
      expect([...read].sort()).toEqual(
        SUBGRAPHS.flatMap((program) => [`${program.name}_password`, `${program.name}_role`]).sort(),
      );
      expect(script).toContain('"/run/secrets/$${name}_database_url"');
      expect(script).toMatch(/-v "\$\$\{name\}_role=.+" -v "\$\$\{name\}_password=.+"/);
      for (const program of SUBGRAPHS) expect(secretFile(roles, `${program.name}_database_url`)).toBeDefined();
      expect(script).toContain('PGPASSWORD=$$(cat /run/secrets/postgres_password)');
    });
  });

  it('keeps Redis, the shared rate-limit store, unpublished and used by the gateway', () => {
    expect(service('redis').image).toMatch(/^redis:\d+\.\d+-bookworm$/);
    expect(service('gateway').environment!.REDIS_URL).toBe('${REDIS_URL:-redis://redis:6379}');
    expect(service('gateway').depends_on).toHaveProperty('redis', { condition: 'service_healthy' });
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

    it('listens and health-checks one port, its default, and publishes none', () => {
      expect(port).toBe(program.defaultPort);
      expect(svc.ports).toBeUndefined();
      expect(healthPort(svc)).toBe(port);
    });

    it('sets only variables the service reads', () => {
      const known = new Set([...subgraphEnvVariables(name), ...(program.ownEnvVariables ?? []), ...RUNTIME_ENV]);
      expect(Object.keys(env).filter((variable) => !known.has(variable))).toEqual([]);
    });

    it('connects as its own role, from its own secret file, once the roles exist', () => {
      const secret = `${name}_database_url`;
      expect(env[`${subgraphEnvNames(name).databaseUrl}_FILE`]).toBe(`/run/secrets/${secret}`);
      expect(secretFile(svc, secret)).toBeDefined();
      expect(svc.secrets).toEqual([secret]);
      expect(env).not.toHaveProperty('DATABASE_URL');
      expect(env).not.toHaveProperty('DATABASE_URL_FILE');
      expect(svc.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        'database-roles': { condition: 'service_completed_successfully' },
      });
    });

    it('trusts the gateway JWKS and seeds nothing', () => {
      expect(env.GATEWAY_JWKS_URL).toBe(`http://gateway:${service('gateway').environment!.PORT}/.well-known/jwks.json`);
      expect(env.SEED_DEMO_DATA).toBe('false');
    });
  });

  describe('the gateway service', () => {
    const svc = service('gateway');
    const env = svc.environment ?? {};

    it('runs the build of the entry point npm run start:gateway runs, on one port', () => {
      expect(svc.command).toEqual(builtCommand('start:gateway'));
      expect(publishedPort(svc)).toBe(Number(env.PORT));
      expect(svc.ports![0]).toBe(`${env.PORT}:${env.PORT}`);
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

    it("takes the identity provider's settings from the operator's environment, the keys from secrets", () => {
      expect(env.NODE_ENV).toBe('production');
      // No value: Compose passes the operator's through when set, and the gateway refuses production without them.
      for (const variable of ['JWT_JWKS_URL', 'JWT_ISSUER', 'JWT_AUDIENCE']) {
        expect(env, variable).toHaveProperty(variable, null);
      }
      expect(env.IDENTITY_SIGNING_KEY_FILE).toBe('/run/secrets/identity_signing_key');
      expect(secretFile(svc, 'identity_signing_key')).toBeDefined();
      // Served only on the metrics port (9464 in production), which compose does not publish.
      expect(env.REVOCATION_ADMIN_TOKEN_FILE).toBe('/run/secrets/revocation_admin_token');
      expect(secretFile(svc, 'revocation_admin_token')).toBeDefined();
    });

    it('passes the algorithms, AUTH_REQUIRED, the limits, the rate limits and trusted documents through, with safe defaults', () => {
      expect(env).toHaveProperty('JWT_ALGORITHMS', null);
      const defaults = {
        AUTH_REQUIRED: 'false',
        MAX_DEPTH: '15',
        MAX_ALIASES: '100',
        MAX_DIRECTIVES: '50',
        MAX_ROOT_FIELDS: '20',
        MAX_SELECTIONS: '500',
        MAX_COST: '10000',
        MAX_SUBGRAPH_FETCHES: '25',
        MAX_TOKENS: '5000',
        MAX_BODY_BYTES: '100000',
        MAX_CONCURRENT_REQUESTS: '256',
        RATE_LIMITS: 'on',
        TRUSTED_DOCUMENTS: 'off',
      };
      for (const [variable, fallback] of Object.entries(defaults)) {
        expect(env[variable], variable).toBe(`\${${variable}:-${fallback}}`);
      }
      // The defaults are the gateway's own (RATE_LIMITS: on is its production default).
      expect(readGatewayConfig({ ...defaults, NODE_ENV: 'development' })).toEqual(
        readGatewayConfig({ RATE_LIMITS: 'on', NODE_ENV: 'development' }),
      );
    });

    it('starts once every subgraph and Redis are healthy', () => {
      expect(svc.depends_on).toEqual(
        Object.fromEntries(
          ['redis', ...SUBGRAPHS.map((program) => program.name)].map((name) => [name, { condition: 'service_healthy' }]),
        ),
      );
    });
  });

  describe('the demo profile', () => {
    const gateway = service('demo-gateway');

    it('is its own services, started only with the demo profile', () => {
      for (const name of DEMO_SERVICES) expect(service(name).profiles, name).toEqual(['demo']);
    });

    it('runs the same builds as production, each subgraph seeding its embedded database', () => {
      for (const program of SUBGRAPHS) {
        const svc = service(`demo-${program.name}`);
        expect(svc.command).toEqual(service(program.name).command);
        expect(svc.environment!.SEED_DEMO_DATA).toBe('true');
        expect(svc.environment).not.toHaveProperty(`${subgraphEnvNames(program.name).databaseUrl}_FILE`);
        expect(svc.environment!.GATEWAY_JWKS_URL).toBe(`http://demo-gateway:${gateway.environment!.PORT}/.well-known/jwks.json`);
        expect(gateway.environment![`${program.name.toUpperCase()}_URL`]).toBe(
          `http://demo-${program.name}:${svc.environment![subgraphEnvNames(program.name).port]}/graphql`,
        );
        const known = new Set([...subgraphEnvVariables(program.name), ...(program.ownEnvVariables ?? []), ...RUNTIME_ENV]);
        expect(Object.keys(svc.environment!).filter((variable) => !known.has(variable))).toEqual([]);
      }
      expect(service('demo-payments').environment!.ORDERS_URL).toBe(gateway.environment!.ORDERS_URL);
      expect(service('demo-orders').environment!.INVENTORY_URL).toBe(gateway.environment!.INVENTORY_URL);
    });

    it('has a development gateway, on loopback only, that accepts the local tokens demo-tokens prints', () => {
      expect(gateway.command).toEqual(service('gateway').command);
      expect(gateway.environment!.NODE_ENV).toBe('development');
      expect(Object.keys(gateway.environment!).filter((variable) => /^JWT_|^IDENTITY_/.test(variable))).toEqual([]);
      expect(gateway.ports).toEqual([`127.0.0.1:${gateway.environment!.PORT}:${gateway.environment!.PORT}`]);
      const tokens = service('demo-tokens');
      expect(Object.keys(tokens.environment!).filter((variable) => /^JWT_/.test(variable))).toEqual([]);
      expect(tokens.restart).toBe('no');
      expect(tokens.depends_on).toEqual({ 'demo-gateway': { condition: 'service_healthy' } });
    });

    it('prints the tokens with the built token printer, which the build and the image include', () => {
      expect(service('demo-tokens').command).toEqual(['node', builtFile('scripts/demoTokens.ts')]);
      expect(build.include).toContain('scripts/demoTokens.ts');
      const buildStage = dockerfile.slice(0, dockerfile.indexOf('AS dependencies'));
      expect(buildStage).toMatch(/^COPY scripts\/demoTokens\.ts scripts\/clientTokens\.ts \.\/scripts\/$/m);
    });
  });

  describe('the observability profile', () => {
    const component = 'deploy/kubernetes/components/observability';
    const mounted = (svc: ComposeService, target: string) => {
      const volume = svc.volumes?.find((entry) => entry.split(':')[1] === target);
      expect(volume, target).toMatch(/:ro$/);
      return volume!.split(':')[0]!.replace(/^\.\//, '');
    };
    const readYaml = (file: string) => parse(readFileSync(new URL(file, root), 'utf8'));

    it('is its own services, pinned images, started only with the observability profile', () => {
      for (const name of OBSERVABILITY_SERVICES) {
        expect(service(name).profiles, name).toEqual(['observability']);
        expect(service(name).image, name).toMatch(/^[a-z/-]+:v?\d+\.\d+\.\d+$/);
      }
    });

    it('turns tracing on only through the OTLP endpoint the operator passes, which every service reads', () => {
      for (const name of [...PRODUCTION_SERVICES, ...DEMO_SERVICES]) {
        expect(service(name).environment, name).toHaveProperty('OTEL_EXPORTER_OTLP_ENDPOINT', null);
      }
      expect(GATEWAY_ENV_NAMES).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
      expect(subgraphEnvVariables('orders')).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
      expect(composeText).toContain(
        'OTEL_EXPORTER_OTLP_ENDPOINT=http://otel-collector:4318 docker compose --profile observability up',
      );
    });

    it("runs the Kubernetes component's collector config: OTLP/HTTP in on 4318, out to Jaeger", () => {
      const file = mounted(service('otel-collector'), '/etc/otelcol/config.yaml');
      expect(file).toBe(`${component}/otel-collector-config.yaml`);
      expect(service('otel-collector').command).toEqual(['--config=/etc/otelcol/config.yaml']);
      const config = readYaml(file);
      expect(config.receivers.otlp.protocols.http.endpoint).toBe('0.0.0.0:4318');
      expect(config.exporters['otlp/jaeger'].endpoint).toBe('jaeger:4317');
      expect(config.service.pipelines.traces.exporters).toEqual(['otlp/jaeger']);
    });

    it("scrapes each production service's own metrics port", () => {
      const config = readYaml(mounted(service('prometheus'), '/etc/prometheus/prometheus.yml'));
      const expected = [
        `gateway:${4000 + METRICS_PORT_OFFSET}`,
        ...SUBGRAPHS.map((program) => `${program.name}:${program.defaultPort + METRICS_PORT_OFFSET}`),
      ];
      expect(config.scrape_configs.flatMap((job: any) => job.static_configs.flatMap((c: any) => c.targets))).toEqual(expected);
    });

    it("provisions Grafana with the component's data sources (compose service names) and dashboard", () => {
      const grafana = service('grafana');
      const sources = readYaml(mounted(grafana, '/etc/grafana/provisioning/datasources/datasources.yaml')).datasources;
      expect(sources.map((source: any) => source.url).sort()).toEqual(['http://jaeger:16686', 'http://prometheus:9090']);
      const providers = readYaml(mounted(grafana, '/etc/grafana/provisioning/dashboards/dashboards.yaml')).providers;
      const dashboard = mounted(grafana, '/var/lib/grafana/dashboards/federation-dashboard.json');
      expect(dashboard).toBe(`${component}/federation-dashboard.json`);
      expect(providers[0].options.path).toBe('/var/lib/grafana/dashboards');
    });
  });

  it('builds every application service from the one Dockerfile', () => {
    for (const name of [...PRODUCTION_SERVICES, ...DEMO_SERVICES]) expect(service(name).build).toBe('.');
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
