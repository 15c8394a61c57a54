/**
 * deploy/kubernetes is not applied here (no cluster), so each overlay is rendered with kustomize,
 * every object validated against the Kubernetes schemas (kubernetes-models), and the whole checked
 * against the code: commands, probes, environment, network paths and hardening.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseAllDocuments, parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { subgraphEnvVariables, type SubgraphProgram } from '#kit';
import { GATEWAY_ENV_NAMES } from '../gateway/src/config.ts';
import { SUBGRAPH_NAMES } from '#roster';
import { PROGRAMS } from '../e2e/services.ts';

type Manifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [key: string]: any };

const root = new URL('..', import.meta.url);
const OVERLAYS = ['dev', 'production', 'production-opa'] as const;
/** Every subgraph of the roster, as the program that runs it. */
const SUBGRAPHS: SubgraphProgram[] = SUBGRAPH_NAMES.map((name) => PROGRAMS[name]);
/** Who may call whom, besides the gateway: the onward calls of the identity protocol. */
const ONWARD_CALLERS: Record<string, string[]> = { orders: ['payments'], payments: [], inventory: ['orders'] };
/** Read by Node itself or by libraries, not by our config modules. */
const RUNTIME_ENV = ['NODE_ENV', 'APOLLO_TELEMETRY_DISABLED'];
/** The probe routes every service serves (see e2e, which requests them on the real services). */
export const PROBE_ROUTES = { liveness: '/health/live', readiness: '/health/ready' } as const;

function kustomize(overlay: string): Manifest[] | undefined {
  try {
    const rendered = execFileSync('kubectl', ['kustomize', `deploy/kubernetes/overlays/${overlay}`], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return parseAllDocuments(rendered).map((document) => withUnwrappedSecrets(document.toJSON() as Manifest));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** kustomize wraps long base64 values; the API server's decoder skips the line breaks, the schema's does not. */
function withUnwrappedSecrets(manifest: Manifest): Manifest {
  if (manifest.kind !== 'Secret' || !manifest.data) return manifest;
  const data = Object.fromEntries(
    Object.entries(manifest.data as Record<string, string>).map(([key, value]) => [key, value.replace(/\s/g, '')]),
  );
  return { ...manifest, data };
}

const rendered = Object.fromEntries(OVERLAYS.map((overlay) => [overlay, kustomize(overlay)])) as Record<
  (typeof OVERLAYS)[number],
  Manifest[] | undefined
>;
const haveKubectl = rendered.dev !== undefined;
if (!haveKubectl) console.warn('Skipping the Kubernetes manifest checks: kubectl (with kustomize) is not installed');

/** kubernetes-models module of an apiVersion: `apps/v1` -> kubernetes-models/apps/v1, `v1` -> kubernetes-models/v1. */
async function modelOf(manifest: Manifest): Promise<new (data: unknown) => { validate(): void }> {
  const module = (await import(`kubernetes-models/${manifest.apiVersion}`)) as Record<string, any>;
  const model = module[manifest.kind];
  if (!model) throw new Error(`kubernetes-models has no ${manifest.apiVersion} ${manifest.kind}`);
  return model;
}

const byKind = (manifests: Manifest[], kind: string) => manifests.filter((manifest) => manifest.kind === kind);
const named = (manifests: Manifest[], kind: string, name: string) => {
  const found = manifests.find((manifest) => manifest.kind === kind && manifest.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const configMapKeys = (manifests: Manifest[], name: string) =>
  Object.keys(byKind(manifests, 'ConfigMap').find((map) => map.metadata.name.startsWith(name))?.data ?? {});

/** Every variable a container is given: `env` and the keys of the ConfigMaps in `envFrom`. */
function environmentOf(manifests: Manifest[], container: any): string[] {
  const fromMaps = (container.envFrom ?? []).flatMap((source: any) =>
    source.configMapRef ? configMapKeys(manifests, source.configMapRef.name) : [],
  );
  return [...(container.env ?? []).map((variable: { name: string }) => variable.name), ...fromMaps];
}

const compose = parse(readFileSync(new URL('docker-compose.yml', root), 'utf8'), { merge: true }) as {
  services: Record<string, { command?: string[] }>;
};

describe.skipIf(!haveKubectl)('the OPA sidecar (overlays/production-opa)', () => {
  const manifests = rendered['production-opa'] ?? [];
  const pod = () => named(manifests, 'Deployment', 'orders').spec.template.spec;

  it("serves orders' own Rego: the copy kustomize reads is subgraphs/orders/policy/order.rego", () => {
    const read = (path: string) => readFileSync(new URL(path, root), 'utf8');
    expect(read('deploy/kubernetes/components/opa-sidecar/order.rego')).toBe(read('subgraphs/orders/policy/order.rego'));
  });

  it('runs OPA beside orders, asked on localhost, reachable from nowhere else', () => {
    const [orders, opa] = pod().containers;
    expect(opa.name).toBe('opa');
    const env = Object.fromEntries(orders.env.map((variable: any) => [variable.name, variable.value]));
    expect(env).toMatchObject({ ORDERS_POLICY_ENGINE: 'opa', OPA_URL: 'http://127.0.0.1:8181' });
    const opened = byKind(manifests, 'NetworkPolicy').flatMap((policy) =>
      (policy.spec.ingress ?? []).flatMap((rule: any) => (rule.ports ?? []).map((port: any) => port.port)),
    );
    expect(opened).not.toContain(8181);
  });
});

describe.skipIf(!haveKubectl)('the observability component (overlays/dev)', () => {
  const manifests = rendered.dev ?? [];
  const component = 'deploy/kubernetes/components/observability';
  const read = (file: string) => readFileSync(new URL(`${component}/${file}`, root), 'utf8');
  const configMap = (name: string) => byKind(manifests, 'ConfigMap').find((map) => map.metadata.name.startsWith(`${name}-`))!;
  const tiers = ['gateway', ...SUBGRAPHS.map((program) => program.name)];
  const ingressTo = (policy: string) => named(manifests, 'NetworkPolicy', policy).spec.ingress;

  it('runs the collector, Jaeger, Prometheus and Grafana', () => {
    for (const name of ['otel-collector', 'jaeger', 'prometheus', 'grafana']) {
      expect(named(manifests, 'Deployment', name).spec.template.spec.containers[0].image, name).toMatch(/:v?\d+\.\d+\.\d+$/);
      expect(named(manifests, 'Service', name)).toBeDefined();
    }
  });

  it("points every service's OTLP exporter at the collector's OTLP/HTTP port", () => {
    const endpoint = configMap('common-settings').data.OTEL_EXPORTER_OTLP_ENDPOINT;
    const port = named(manifests, 'Service', 'otel-collector').spec.ports.find((p: any) => p.name === 'otlp-http').port;
    expect(endpoint).toBe(`http://otel-collector:${port}`);
    for (const tier of tiers) {
      const container = named(manifests, 'Deployment', tier).spec.template.spec.containers[0];
      expect(environmentOf(manifests, container), tier).toContain('OTEL_EXPORTER_OTLP_ENDPOINT');
    }
  });

  it('mounts the very files docker-compose mounts: collector config, Grafana provisioning, the dashboard', () => {
    expect(configMap('otel-collector-config').data['config.yaml']).toBe(read('otel-collector-config.yaml'));
    expect(configMap('grafana-datasources').data['grafana-datasources.yaml']).toBe(read('grafana-datasources.yaml'));
    expect(configMap('grafana-dashboards').data['federation-dashboard.json']).toBe(read('federation-dashboard.json'));
    for (const file of ['otel-collector-config.yaml', 'grafana-datasources.yaml', 'federation-dashboard.json']) {
      expect(readFileSync(new URL('docker-compose.yml', root), 'utf8')).toContain(`./${component}/${file}:`);
    }
  });

  it('scrapes every replica of every tier: headless Services on the metrics port, named in prometheus.yml', () => {
    const config = parse(configMap('prometheus-config').data['prometheus.yml']);
    const names = config.scrape_configs[0].dns_sd_configs[0].names as string[];
    expect(names).toEqual(tiers.map((tier) => `${tier}-metrics`));
    for (const tier of tiers) {
      const headless = named(manifests, 'Service', `${tier}-metrics`).spec;
      expect(headless.clusterIP).toBe('None');
      expect(headless.selector).toEqual({ 'app.kubernetes.io/name': tier });
      const metricsPort = named(manifests, 'Deployment', tier).spec.template.spec.containers[0].ports.find(
        (p: any) => p.name === 'metrics',
      ).containerPort;
      expect(headless.ports[0].port).toBe(metricsPort);
      expect(config.scrape_configs[0].dns_sd_configs[0].port).toBe(metricsPort);
    }
  });

  it('lets the services reach the collector, the collector Jaeger, and Prometheus the metrics ports only', () => {
    expect(ingressTo('otel-collector')).toEqual([
      {
        from: [
          { podSelector: { matchLabels: { 'app.kubernetes.io/component': 'gateway' } } },
          { podSelector: { matchLabels: { 'app.kubernetes.io/component': 'subgraph' } } },
        ],
        ports: [{ port: 4318 }],
      },
    ]);
    expect(ingressTo('jaeger')[0]).toEqual({
      from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'otel-collector' } } }],
      ports: [{ port: 4317 }],
    });
    const scrapes = named(manifests, 'NetworkPolicy', 'prometheus-scrapes-services').spec;
    expect(scrapes.podSelector.matchExpressions[0].values).toEqual(tiers);
    expect(scrapes.ingress).toEqual([
      { from: [{ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } } }], ports: [{ port: 9464 }] },
    ]);
  });
});

describe.skipIf(!haveKubectl).each(OVERLAYS)('deploy/kubernetes/overlays/%s', (overlay) => {
  const manifests = rendered[overlay] ?? [];
  const deployment = (name: string) => named(manifests, 'Deployment', name);
  const containerOf = (name: string) => deployment(name).spec.template.spec.containers[0];

  it('renders objects that are valid against the Kubernetes schemas', async () => {
    expect(manifests.length).toBeGreaterThan(20);
    for (const manifest of manifests) {
      const Model = await modelOf(manifest);
      expect(() => new Model(manifest).validate(), `${manifest.kind} ${manifest.metadata.name}`).not.toThrow();
    }
  });

  it('runs the gateway and every subgraph with the commands docker-compose runs', () => {
    for (const name of ['gateway', ...SUBGRAPHS.map((program) => program.name)]) {
      expect(containerOf(name).command, name).toEqual(compose.services[name]!.command);
    }
  });

  it('probes liveness and readiness on separate routes of the service port', () => {
    for (const name of ['gateway', ...SUBGRAPHS.map((program) => program.name)]) {
      const container = containerOf(name);
      expect(container.livenessProbe.httpGet).toEqual({ path: PROBE_ROUTES.liveness, port: 'http' });
      expect(container.readinessProbe.httpGet).toEqual({ path: PROBE_ROUTES.readiness, port: 'http' });
      expect(container.ports.map((port: { name: string }) => port.name)).toEqual(['http', 'metrics']);
    }
  });

  it('gives each service only variables it reads', () => {
    const gatewayKnown = new Set([...GATEWAY_ENV_NAMES, ...RUNTIME_ENV]);
    expect(environmentOf(manifests, containerOf('gateway')).filter((name) => !gatewayKnown.has(name))).toEqual([]);
    for (const program of SUBGRAPHS) {
      const known = new Set([...subgraphEnvVariables(program.name), ...(program.ownEnvVariables ?? []), ...RUNTIME_ENV]);
      expect(
        environmentOf(manifests, containerOf(program.name)).filter((name) => !known.has(name)),
        program.name,
      ).toEqual([]);
    }
  });

  it('hardens every pod: non-root, read-only root file system, no privilege escalation, no capabilities, resources', () => {
    for (const manifest of [...byKind(manifests, 'Deployment'), ...byKind(manifests, 'Job')]) {
      const pod = manifest.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot, manifest.metadata.name).toBe(true);
      expect(pod.automountServiceAccountToken, manifest.metadata.name).toBe(false);
      for (const container of pod.containers) {
        expect(container.securityContext, manifest.metadata.name).toMatchObject({
          allowPrivilegeEscalation: false,
          readOnlyRootFilesystem: true,
          capabilities: { drop: ['ALL'] },
        });
        expect(container.resources.requests && container.resources.limits, manifest.metadata.name).toBeTruthy();
      }
    }
  });

  it('lets a subgraph be reached only by the gateway and its onward callers, and exposes only the gateway', () => {
    expect(named(manifests, 'NetworkPolicy', 'default-deny-ingress').spec).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    for (const program of SUBGRAPHS) {
      const policy = named(manifests, 'NetworkPolicy', program.name);
      const servicePort = policy.spec.ingress.find((rule: any) => rule.ports[0].port !== 9464);
      const callers = servicePort.from.map((peer: any) => peer.podSelector.matchLabels['app.kubernetes.io/name']).sort();
      expect(callers, program.name).toEqual(['gateway', ...ONWARD_CALLERS[program.name]!].sort());
      const metrics = policy.spec.ingress.find((rule: any) => rule.ports[0].port === 9464);
      expect(metrics.from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
    }
    const ingresses = byKind(manifests, 'Ingress');
    expect(ingresses).toHaveLength(1);
    const backends = ingresses[0]!.spec.rules.flatMap((rule: any) =>
      rule.http.paths.map((path: any) => path.backend.service.name),
    );
    expect(new Set(backends)).toEqual(new Set(['gateway']));
  });

  it('scales and protects every service: an HPA on CPU and requests, a disruption budget', () => {
    for (const name of ['gateway', ...SUBGRAPHS.map((program) => program.name)]) {
      const hpa = named(manifests, 'HorizontalPodAutoscaler', name);
      expect(hpa.spec.metrics.map((metric: any) => metric.type)).toEqual(['Resource', 'Pods']);
      expect(named(manifests, 'PodDisruptionBudget', name).spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': name });
    }
  });

  it('takes the signing key, database credentials and the revocation secret from Secrets', () => {
    for (const program of SUBGRAPHS) {
      const url = containerOf(program.name).env.find(
        (variable: any) => variable.name === `${program.name.toUpperCase()}_DATABASE_URL`,
      );
      // The dev overlay generates its Secrets, so their names carry kustomize's content hash.
      expect(url.valueFrom.secretKeyRef.name).toMatch(new RegExp(`^${program.name}-database(-[a-z0-9]{10})?$`));
    }
    const signingKey = containerOf('gateway').env.find((variable: any) => variable.name === 'IDENTITY_SIGNING_KEY');
    if (overlay !== 'dev') expect(signingKey.valueFrom.secretKeyRef.name).toBe('identity-signing-key');
    else expect(signingKey).toBeUndefined();
    const adminToken = containerOf('gateway').env.find((variable: any) => variable.name === 'REVOCATION_ADMIN_TOKEN');
    expect(adminToken.valueFrom.secretKeyRef).toMatchObject({ key: 'token' });
    expect(adminToken.valueFrom.secretKeyRef.name).toMatch(/^revocation-admin-token(-[a-z0-9]{10})?$/);
  });

  if (overlay !== 'dev') {
    it('commits no Secret: production provides them', () => {
      expect(byKind(manifests, 'Secret')).toEqual([]);
      expect(
        manifests.every((manifest) => manifest.kind === 'Namespace' || manifest.metadata.namespace === 'federated-authz'),
      ).toBe(true);
    });
  }
});
