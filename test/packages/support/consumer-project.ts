/**
 * @module consumer-project
 * A project outside the repository that installs the packed `@zekka/*` tarballs the way a user would, for
 * pack-install.test.ts: the tarballs come from `bun scripts/build-packages.ts --pack`, third-party
 * dependencies from the registry (through Bun's cache, so a warm machine installs in about a second).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(import.meta.dir, '..', '..', '..');

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  /** The whole environment; a variable set to `undefined` is left out. @default process.env */
  env?: Record<string, string | undefined>;
  /** @default 120_000 */
  timeoutMs?: number;
}

/** Runs a command to its end; the output is kept for the assertion messages. */
export async function run(cmd: string[], options: RunOptions): Promise<Run> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(options.env ?? process.env)) {
    if (value !== undefined) env[name] = value;
  }
  const child = Bun.spawn(cmd, {
    cwd: options.cwd,
    env,
    stdin: 'ignore',
    stdout: 'pipe',
    stderr: 'pipe',
    timeout: options.timeoutMs ?? 120_000,
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { code, stdout, stderr };
}

/** `run`, throwing with the command's output when it fails. */
export async function runOrThrow(cmd: string[], options: RunOptions): Promise<Run> {
  const result = await run(cmd, options);
  if (result.code !== 0) {
    throw new Error(`${cmd.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

/** The registry `bun install` uses here; npm's unless the environment names another. */
export const REGISTRY =
  process.env.NPM_CONFIG_REGISTRY ?? process.env.npm_config_registry ?? 'https://registry.npmjs.org/';

/** Whether the registry answers within five seconds. */
export async function registryReachable(): Promise<boolean> {
  try {
    const response = await fetch(REGISTRY, { method: 'HEAD', signal: AbortSignal.timeout(5_000) });
    return response.status < 500;
  } catch {
    return false;
  }
}

/** The repository's catalog, so the consumer pins what the packages were built and tested with. */
async function catalogVersion(name: string): Promise<string> {
  const root = (await Bun.file(join(REPO_ROOT, 'package.json')).json()) as {
    workspaces: { catalog: Record<string, string> };
  };
  const version = root.workspaces.catalog[name];
  if (version === undefined) throw new Error(`the root catalog has no ${name}`);
  return version;
}

export interface ConsumerOptions {
  /** Package name → tarball path. */
  tarballs: Record<string, string>;
  /** Third-party packages the consumer adds itself, by name; versions from the repository's catalog. */
  add?: string[];
}

/**
 * Writes a consumer project in `dir` and installs it. Every `@zekka/*` name resolves to its tarball, also
 * where one package depends on another (`overrides`): the versions inside the tarballs are not published.
 */
export async function installConsumer(dir: string, options: ConsumerOptions): Promise<void> {
  mkdirSync(dir, { recursive: true });
  const tarballs = Object.fromEntries(
    Object.entries(options.tarballs).map(([name, tarball]) => [name, `file:${tarball}`]),
  );
  const added = Object.fromEntries(
    await Promise.all((options.add ?? []).map(async (name) => [name, await catalogVersion(name)] as const)),
  );
  const manifest = {
    name: 'zekka-consumer',
    private: true,
    type: 'module',
    dependencies: { ...tarballs, ...added },
    overrides: tarballs,
  };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  await runOrThrow([process.execPath, 'install'], { cwd: dir });
}

/**
 * A strict consumer's tsconfig: the repository's compiler options a user would plausibly have, without
 * `skipLibCheck`, so the installed declarations are checked too.
 */
export function writeConsumerTsconfig(dir: string, files: string[]): void {
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      module: 'Preserve',
      moduleResolution: 'bundler',
      lib: ['ES2023', 'DOM', 'DOM.Iterable'],
      types: ['bun'],
      strict: true,
      noUncheckedIndexedAccess: true,
      noEmit: true,
      skipLibCheck: false,
    },
    files,
  };
  writeFileSync(join(dir, 'tsconfig.json'), `${JSON.stringify(tsconfig, null, 2)}\n`);
}
