/**
 * The deployment manifests (deploy/docker-compose.yml, deploy/k8s/) parse, and the fields that decide
 * whether a deployment works line up: probes on /ready and /health at the container's port, the Service
 * pointing at that port, non-root with resources, and only environment variables the server reads.
 * The alert rules have their own test (alerts.test.ts).
 */
import { describe, expect, test } from 'bun:test';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadImage } from '../../scripts/image-plan.ts';
import {
  ANNOUNCED_ENV_NAMES,
  type Container,
  configEnvNames,
  DEPLOY_DIR,
  findObject,
  type K8sObject,
  k8sObjects,
  REPO_ROOT,
  readYamlDocuments,
  type Workload,
  type YamlMap,
  yamlFiles,
} from './support/deploy-files.ts';

const knownEnv = new Set<string>([...configEnvNames(), ...ANNOUNCED_ENV_NAMES]);
const { plan } = loadImage();
const kubectl = Bun.which('kubectl');

test.each(yamlFiles())('%s parses', (file) => {
  const documents = readYamlDocuments(file);
  expect(documents.length).toBeGreaterThan(0);
  for (const document of documents) expect(typeof document).toBe('object');
});

test('the configuration loader reads the variables the manifests are checked against', () => {
  // If this fails, the source scan in support/deploy-files.ts no longer finds the loader's reads.
  for (const name of [
    'PORT',
    'DATABASE_URL',
    'JWT_SECRET',
    'NODE_ENV',
    'OPENAI_API_KEY',
    'DATABASE_POOL_MAX',
  ]) {
    expect(knownEnv).toContain(name);
  }
});

describe('deploy/k8s', () => {
  const deployment = findObject<Workload>('Deployment', 'zekka');
  const pod = deployment.spec.template.spec;
  const server = pod.containers.find((container) => container.name === 'server') as Container;
  const httpPort = server.ports?.find((port) => port.name === 'http');
  const portOf = (port: string | number | undefined): number | undefined =>
    typeof port === 'number'
      ? port
      : server.ports?.find((candidate) => candidate.name === port)?.containerPort;

  test('kustomization.yaml lists every manifest, and each exists', () => {
    const [kustomization] = readYamlDocuments('deploy/k8s/kustomization.yaml') as [{ resources: string[] }];
    const files = readdirSync(join(DEPLOY_DIR, 'k8s')).filter((file) => /\.ya?ml$/.test(file));
    expect([...kustomization.resources].sort()).toEqual(
      files.filter((file) => file !== 'kustomization.yaml').sort(),
    );
  });

  test.skipIf(kubectl === null)('kubectl kustomize renders it (skipped: kubectl is not installed)', () => {
    const result = Bun.spawnSync(['kubectl', 'kustomize', join(DEPLOY_DIR, 'k8s')]);
    expect(result.stderr.toString()).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout.toString()).toContain('kind: Deployment');
  });

  test('the Deployment runs 2 replicas of the image on the image port', () => {
    expect(deployment.spec.replicas).toBe(2);
    expect(httpPort?.containerPort).toBe(plan.exposedPorts[0]);
    const config = findObject<K8sObject & { data: Record<string, string> }>('ConfigMap', 'zekka-config');
    expect(config.data.PORT).toBe(String(httpPort?.containerPort));
    const [kustomization] = readYamlDocuments('deploy/k8s/kustomization.yaml') as [
      { images: { name: string }[] },
    ];
    expect(kustomization.images.map((image) => image.name)).toContain(server.image);
  });

  test('probes: readiness on /ready, liveness and startup on /health, all on the server port', () => {
    expect(server.readinessProbe?.httpGet?.path).toBe('/ready');
    expect(server.livenessProbe?.httpGet?.path).toBe('/health');
    expect(server.startupProbe?.httpGet?.path).toBe('/health');
    for (const probe of [server.readinessProbe, server.livenessProbe, server.startupProbe]) {
      expect(portOf(probe?.httpGet?.port)).toBe(httpPort?.containerPort);
    }
  });

  test('graceful shutdown: a preStop pause, then at least 30 s for the drain', () => {
    expect(server.lifecycle?.preStop?.exec?.command ?? server.lifecycle?.preStop?.sleep).toBeDefined();
    expect(pod.terminationGracePeriodSeconds ?? 30).toBeGreaterThanOrEqual(30);
  });

  test('the server runs as the image user, non-root, with a read-only root and a writable /tmp', () => {
    expect(pod.securityContext?.runAsNonRoot).toBe(true);
    expect(pod.securityContext?.runAsUser).toBe(plan.user.uid);
    expect(server.securityContext?.readOnlyRootFilesystem).toBe(true);
    expect(server.securityContext?.allowPrivilegeEscalation).toBe(false);
    const tmp = server.volumeMounts?.find((mount) => mount.mountPath === '/tmp');
    expect(pod.volumes?.find((volume) => volume.name === tmp?.name)?.emptyDir).toBeDefined();
  });

  test('every container of every workload has requests, limits and runs as non-root', () => {
    const workloads = k8sObjects().filter(({ object }) =>
      ['Deployment', 'StatefulSet'].includes(object.kind),
    );
    expect(workloads.length).toBe(3);
    for (const { object } of workloads) {
      const spec = (object as Workload).spec.template.spec;
      for (const container of spec.containers) {
        const where = `${object.kind}/${object.metadata.name} ${container.name}`;
        expect({ where, requests: container.resources?.requests }).toEqual({
          where,
          requests: { cpu: expect.any(String), memory: expect.any(String) },
        });
        expect({ where, memory: container.resources?.limits?.memory }).toEqual({
          where,
          memory: expect.any(String),
        });
        expect({
          where,
          nonRoot: container.securityContext?.runAsNonRoot ?? spec.securityContext?.runAsNonRoot,
        }).toEqual({
          where,
          nonRoot: true,
        });
      }
    }
  });

  test('the Service, HPA and PDB select the server pods and its port', () => {
    const labels = deployment.spec.template.metadata.labels;
    const service = findObject<
      K8sObject & { spec: { selector: Record<string, string>; ports: { targetPort: string | number }[] } }
    >('Service', 'zekka');
    expect(labels).toMatchObject(service.spec.selector);
    expect(portOf(service.spec.ports[0]?.targetPort)).toBe(httpPort?.containerPort);
    const hpa = findObject<
      K8sObject & { spec: YamlMap & { scaleTargetRef: { kind: string; name: string } } }
    >('HorizontalPodAutoscaler', 'zekka');
    expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: 'zekka' });
    expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(hpa.spec.metrics)).toContain('"name":"cpu"');
    const pdb = findObject<
      K8sObject & { spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } } }
    >('PodDisruptionBudget', 'zekka');
    expect(pdb.spec.minAvailable).toBe(1);
    expect(labels).toMatchObject(pdb.spec.selector.matchLabels);
  });

  test('ConfigMap and Secret hold only variables the server reads, secrets only in the Secret', () => {
    const config = findObject<K8sObject & { data: Record<string, string> }>('ConfigMap', 'zekka-config');
    const secret = findObject<K8sObject & { stringData: Record<string, string> }>('Secret', 'zekka-secrets');
    const names = [
      ...Object.keys(config.data),
      ...Object.keys(secret.stringData),
      ...(server.env ?? []).map((e) => e.name),
    ];
    expect(names.filter((name) => !knownEnv.has(name))).toEqual([]);
    expect(Object.keys(secret.stringData)).toEqual(
      expect.arrayContaining(['JWT_SECRET', 'DATABASE_URL', 'REDIS_URL']),
    );
    for (const secretName of [
      'JWT_SECRET',
      'DATABASE_URL',
      'REDIS_URL',
      'OPENAI_API_KEY',
      'ANTHROPIC_API_KEY',
    ]) {
      expect(Object.keys(config.data)).not.toContain(secretName);
    }
    expect(config.data.NODE_ENV).toBe('production');
    // The placeholder must keep the server from starting (production needs >= 32 bytes).
    expect(new TextEncoder().encode(secret.stringData.JWT_SECRET).length).toBeLessThan(32);
    expect(server.envFrom).toEqual([
      { configMapRef: { name: 'zekka-config' } },
      { secretRef: { name: 'zekka-secrets' } },
    ]);
  });

  test('DATABASE_URL and REDIS_URL point at the bundled Services', () => {
    const secret = findObject<K8sObject & { stringData: Record<string, string> }>('Secret', 'zekka-secrets');
    expect(new URL(secret.stringData.DATABASE_URL ?? '').hostname).toBe(
      findObject('Service', 'postgres').metadata.name,
    );
    expect(new URL(secret.stringData.REDIS_URL ?? '').hostname).toBe(
      findObject('Service', 'redis').metadata.name,
    );
  });

  test.each(['postgres', 'redis'])(
    '%s is a StatefulSet with a volume claim and a note to prefer a managed service',
    (name) => {
      const statefulSet = findObject<Workload>('StatefulSet', name);
      expect(statefulSet.spec.volumeClaimTemplates?.length).toBe(1);
      const header =
        readFileSync(join(DEPLOY_DIR, 'k8s', `${name}.yaml`), 'utf8').split('\napiVersion')[0] ?? '';
      expect(header).toMatch(/^# .*\n(# .*\n)*# In production prefer a managed/);
    },
  );
});

describe('deploy/docker-compose.yml', () => {
  interface ComposeService extends YamlMap {
    image?: string;
    build?: { context: string; dockerfile: string };
    environment?: Record<string, string>;
    depends_on?: Record<string, { condition: string }>;
    healthcheck?: { test: string[] };
    volumes?: string[];
  }
  const [compose] = readYamlDocuments('deploy/docker-compose.yml') as [
    { services: Record<string, ComposeService>; volumes: YamlMap },
  ];
  const servers = Object.entries(compose.services).filter(([, service]) => service.build !== undefined);

  test('two server instances built from the repository Dockerfile, waiting for healthy Postgres and Redis', () => {
    expect(servers.map(([name]) => name)).toEqual(['server-1', 'server-2']);
    for (const [, service] of servers) {
      expect(
        existsSync(join(DEPLOY_DIR, service.build?.context ?? '', service.build?.dockerfile ?? '')),
      ).toBe(true);
      expect(service.depends_on).toEqual({
        postgres: { condition: 'service_healthy' },
        redis: { condition: 'service_healthy' },
      });
    }
  });

  test('the servers set only variables the server reads, with Postgres, Redis and a required JWT_SECRET', () => {
    for (const [, service] of servers) {
      const env = service.environment ?? {};
      expect(Object.keys(env).filter((name) => !knownEnv.has(name))).toEqual([]);
      expect(env.NODE_ENV).toBe('production');
      expect(env.DATABASE_URL).toMatch(/^postgres:\/\/[^@]+@postgres:5432\//);
      expect(env.REDIS_URL).toBe('redis://redis:6379');
      expect(env.JWT_SECRET).toMatch(/^\$\{JWT_SECRET:\?/);
    }
  });

  test('Postgres 16 and Redis 7 have health checks and named volumes', () => {
    expect(compose.services.postgres?.image).toMatch(/^postgres:16/);
    expect(compose.services.redis?.image).toMatch(/^redis:7/);
    for (const name of ['postgres', 'redis']) {
      const service = compose.services[name];
      expect(service?.healthcheck?.test.length).toBeGreaterThan(0);
      const volume = service?.volumes?.[0]?.split(':')[0] ?? '';
      expect(Object.keys(compose.volumes)).toContain(volume);
    }
  });

  test('Caddy balances over every server instance on the image port and health-checks /ready', () => {
    const caddyfile = readFileSync(join(DEPLOY_DIR, 'caddy', 'Caddyfile'), 'utf8');
    const upstreams = /reverse_proxy\s+([^{]+)\{/.exec(caddyfile)?.[1]?.trim().split(/\s+/);
    expect(upstreams).toEqual(servers.map(([name]) => `${name}:${plan.exposedPorts[0]}`));
    expect(caddyfile).toMatch(/^\s*health_uri \/ready$/m);
  });

  test('.env.example names every variable compose requires', () => {
    const text = readFileSync(join(DEPLOY_DIR, 'docker-compose.yml'), 'utf8');
    const required = new Set([...text.matchAll(/\$\{([A-Z_]+):\?/g)].map((match) => match[1]));
    const example = readFileSync(join(DEPLOY_DIR, '.env.example'), 'utf8');
    for (const name of required) expect(example).toMatch(new RegExp(`^${name}=`, 'm'));
  });
});

test('docs/deployment.md documents every variable the server reads', () => {
  const doc = readFileSync(join(REPO_ROOT, 'docs', 'deployment.md'), 'utf8');
  expect([...knownEnv].filter((name) => !doc.includes(`\`${name}\``))).toEqual([]);
});
