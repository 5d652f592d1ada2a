/**
 * @module deploy-files
 * Loading what the deployment tests check: the YAML under deploy/ (parsed with Bun's own YAML parser), and
 * the environment variable names the server's configuration reads, collected from its sources so the list
 * cannot drift from the code.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const REPO_ROOT = join(import.meta.dir, '..', '..', '..');
export const DEPLOY_DIR = join(REPO_ROOT, 'deploy');

/** A parsed YAML mapping; tests narrow it with the shapes below. */
export type YamlMap = Record<string, unknown>;

/** Every `.yml` / `.yaml` file under `dir`, relative to the repository root. */
export function yamlFiles(dir: string = DEPLOY_DIR): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((path) => /\.ya?ml$/.test(path))
    .map((path) => relative(REPO_ROOT, join(dir, path)))
    .sort();
}

/** The documents of a YAML file (split on `---` lines), each parsed; empty documents dropped. */
export function readYamlDocuments(path: string): YamlMap[] {
  const text = readFileSync(join(REPO_ROOT, path), 'utf8');
  return text
    .split(/^---\s*$/m)
    .filter((document) => document.replace(/^\s*#.*$/gm, '').trim() !== '')
    .map((document) => Bun.YAML.parse(document) as YamlMap);
}

export interface K8sObject extends YamlMap {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
}

/** Every Kubernetes object in deploy/k8s except the kustomization, with the file it came from. */
export function k8sObjects(): { file: string; object: K8sObject }[] {
  return yamlFiles(join(DEPLOY_DIR, 'k8s'))
    .filter((file) => !file.endsWith('kustomization.yaml'))
    .flatMap((file) => readYamlDocuments(file).map((object) => ({ file, object: object as K8sObject })));
}

export function findObject<T extends K8sObject>(kind: string, name: string): T {
  const found = k8sObjects().find(({ object }) => object.kind === kind && object.metadata.name === name);
  if (found === undefined) throw new Error(`deploy/k8s has no ${kind} ${name}`);
  return found.object as T;
}

export interface Probe {
  httpGet?: { path: string; port: string | number };
  exec?: { command: string[] };
}

export interface Container {
  name: string;
  image: string;
  ports?: { name?: string; containerPort: number }[];
  env?: { name: string; value?: string; valueFrom?: { secretKeyRef?: { name: string; key: string } } }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  readinessProbe?: Probe;
  livenessProbe?: Probe;
  startupProbe?: Probe;
  lifecycle?: { preStop?: Probe & { sleep?: { seconds: number } } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: YamlMap & {
    runAsNonRoot?: boolean;
    runAsUser?: number;
    readOnlyRootFilesystem?: boolean;
  };
  volumeMounts?: { name: string; mountPath: string }[];
}

export interface PodSpec {
  containers: Container[];
  securityContext?: YamlMap & { runAsNonRoot?: boolean; runAsUser?: number };
  terminationGracePeriodSeconds?: number;
  volumes?: (YamlMap & { name: string; emptyDir?: YamlMap })[];
}

export interface Workload extends K8sObject {
  spec: {
    replicas?: number;
    selector: { matchLabels: Record<string, string> };
    template: { metadata: { labels: Record<string, string> }; spec: PodSpec };
    volumeClaimTemplates?: YamlMap[];
  };
}

/**
 * Names of the environment variables the server reads, from its sources: every `read('NAME')` and
 * `readX(read, 'NAME', …)` call in the non-test files of packages/\*\/src (config.ts, database-config.ts,
 * models/registry-from-env.ts, and whatever file reads settings next).
 */
export function configEnvNames(): Set<string> {
  const names = new Set<string>();
  const call = /\bread\w*\(\s*(?:read\s*,\s*)?'([A-Z][A-Z0-9_]*)'/g;
  for (const packageDir of readdirSync(join(REPO_ROOT, 'packages'))) {
    const src = join(REPO_ROOT, 'packages', packageDir, 'src');
    let files: string[];
    try {
      files = readdirSync(src, { recursive: true, encoding: 'utf8' });
    } catch {
      continue;
    }
    for (const file of files.filter((path) => path.endsWith('.ts') && !path.endsWith('.test.ts'))) {
      for (const match of readFileSync(join(src, file), 'utf8').matchAll(call)) {
        if (match[1] !== undefined) names.add(match[1]);
      }
    }
  }
  return names;
}

/**
 * Variables the deployment files may set before the configuration reads them (none today). Remove a name
 * from here once `configEnvNames()` finds it.
 */
export const ANNOUNCED_ENV_NAMES: readonly string[] = [];
