/**
 * @module packages/build-package
 * Building one publishable package into its `dist/`: ESM for Bun with `bun build`, declarations with `tsc`,
 * and the files it reads at run time (the adapters' SQL migrations), each checked before the build counts.
 *
 * The JavaScript is bundled per entry point (one per subpath export and bin) with code splitting: a
 * consumer loads a handful of files instead of the ~100 modules of `src/`, code shared by two entries
 * lives once in `dist/chunks/` (so a class has one identity whichever subpath it was imported from), and
 * every dependency and peer stays an import, never inlined. The output is not minified: it is what a
 * user reads in a stack trace. The declarations keep the folder structure of `src/` (`tsc` has no bundling).
 */

import { chmodSync, cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import type { BunPlugin } from 'bun';
import { type EntryPoint, entryPoints, REPO_ROOT, type WorkspacePackage } from './manifest.ts';

/** A folder of the repository a package reads at run time, copied into its dist/. */
interface RuntimeAsset {
  /** Relative to the repository root. */
  from: string;
  /** Relative to the package folder. */
  to: string;
  /** Left out of the copy: drizzle-kit's snapshots are only read when generating a migration. */
  skip?: RegExp;
  /**
   * The built module and export that must resolve to the copied folder, so a consumer's install finds it.
   * The adapters compute their default migrations folder from `import.meta.url`.
   */
  resolvedBy?: { module: string; exportName: string };
}

const RUNTIME_ASSETS: Record<string, RuntimeAsset[]> = {
  '@zekka/adapters': [
    {
      from: 'migrations/sqlite',
      to: 'dist/migrations/sqlite',
      skip: /_snapshot\.json$/,
      resolvedBy: { module: 'dist/sqlite/index.js', exportName: 'DEFAULT_SQLITE_MIGRATIONS_FOLDER' },
    },
    {
      from: 'migrations/postgres',
      to: 'dist/migrations/postgres',
      skip: /_snapshot\.json$/,
      resolvedBy: { module: 'dist/postgres/index.js', exportName: 'DEFAULT_POSTGRES_MIGRATIONS_FOLDER' },
    },
  ],
};

const SHEBANG = '#!/usr/bin/env bun';

export interface BuiltPackage {
  name: string;
  files: number;
  bytes: number;
  ms: number;
}

/** Builds `pkg` into `<pkg>/dist`, replacing what was there. Throws with every problem it found. */
export async function buildPackage(pkg: WorkspacePackage): Promise<BuiltPackage> {
  const started = performance.now();
  const dist = join(pkg.dir, 'dist');
  rmSync(dist, { recursive: true, force: true });
  const entries = entryPoints(pkg.manifest);

  const result = await Bun.build({
    entrypoints: [...new Set(entries.map((entry) => join(pkg.dir, entry.source)))],
    root: join(pkg.dir, 'src'),
    outdir: dist,
    target: 'bun',
    format: 'esm',
    splitting: true,
    packages: 'external',
    // Chunks one level down, like every adapters entry (`dist/<subpath>/index.js`): a module that finds
    // files relative to `import.meta.url` sees the same `..` wherever the bundler put it.
    naming: { entry: '[dir]/[name].[ext]', chunk: 'chunks/[name]-[hash].[ext]' },
    metafile: true,
    throw: false,
    plugins: [ownManifestPlugin(pkg)],
  });
  if (!result.success) {
    throw new Error(`bun build ${pkg.manifest.name} failed:\n${result.logs.map(String).join('\n')}`);
  }
  const undeclared = undeclaredImports(pkg, result.metafile?.inputs ?? {});
  if (undeclared.length > 0) {
    throw new Error(
      `${pkg.manifest.name} imports packages its manifest does not declare (they would be missing for a ` +
        `consumer):\n${undeclared.map((line) => `  ${line}`).join('\n')}`,
    );
  }

  await emitDeclarations(pkg);
  copyRuntimeAssets(pkg);

  const problems = [
    ...entries.flatMap((entry) => missingOutputs(pkg, entry)),
    ...binProblems(pkg, entries),
    ...(await assetResolutionProblems(pkg)),
  ];
  if (problems.length > 0) {
    throw new Error(
      `${pkg.manifest.name}: the build is incomplete:\n${problems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
  const files = [...new Bun.Glob('**/*').scanSync({ cwd: dist })];
  const bytes = files.reduce((sum, file) => sum + Bun.file(join(dist, file)).size, 0);
  return { name: pkg.manifest.name, files: files.length, bytes, ms: Math.round(performance.now() - started) };
}

/**
 * A source may import its own package.json (the server does, for its version). Bundled as is, the whole
 * repository manifest would ride along, `workspace:*` and all; only the name and the version are inlined.
 */
function ownManifestPlugin(pkg: WorkspacePackage): BunPlugin {
  const manifestPath = join(pkg.dir, 'package.json');
  return {
    name: 'zekka-own-manifest',
    setup(build) {
      build.onLoad({ filter: /[\\/]package\.json$/ }, (args) =>
        args.path === manifestPath
          ? {
              contents: JSON.stringify({ name: pkg.manifest.name, version: pkg.manifest.version }),
              loader: 'json',
            }
          : undefined,
      );
    },
  };
}

type MetafileInputs = Record<string, { imports: { path: string; external?: boolean; original?: string }[] }>;

const BUILTINS = new Set(builtinModules);

/** `@scope/name/sub` → `@scope/name`, `name/sub` → `name`. */
const packageName = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');

/** Every bare import of the bundle that is neither a built-in nor a dependency or peer of the package. */
function undeclaredImports(pkg: WorkspacePackage, inputs: MetafileInputs): string[] {
  const declared = new Set(
    Object.keys({ ...pkg.manifest.dependencies, ...pkg.manifest.peerDependencies }).concat(pkg.manifest.name),
  );
  const found: string[] = [];
  for (const [input, { imports }] of Object.entries(inputs)) {
    for (const { path, external, original } of imports) {
      const specifier = original ?? path;
      if (!external || specifier.startsWith('.') || specifier.startsWith('/')) continue;
      if (/^(bun|node):/.test(specifier) || BUILTINS.has(specifier) || specifier === 'bun') continue;
      if (!declared.has(packageName(specifier))) found.push(`${input} imports "${specifier}"`);
    }
  }
  return found;
}

async function emitDeclarations(pkg: WorkspacePackage): Promise<void> {
  const tsc = Bun.spawn([join(REPO_ROOT, 'node_modules', '.bin', 'tsc'), '-p', 'tsconfig.build.json'], {
    cwd: pkg.dir,
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(tsc.stdout).text(),
    new Response(tsc.stderr).text(),
    tsc.exited,
  ]);
  if (code !== 0) {
    throw new Error(`tsc -p ${relative(REPO_ROOT, pkg.dir)}/tsconfig.build.json failed:\n${stdout}${stderr}`);
  }
}

function copyRuntimeAssets(pkg: WorkspacePackage): void {
  for (const asset of RUNTIME_ASSETS[pkg.manifest.name] ?? []) {
    cpSync(join(REPO_ROOT, asset.from), join(pkg.dir, asset.to), {
      recursive: true,
      filter: (source) => !(asset.skip?.test(source) ?? false),
    });
  }
}

function missingOutputs(pkg: WorkspacePackage, entry: EntryPoint): string[] {
  return [entry.output, entry.declaration]
    .filter((file) => !existsSync(join(pkg.dir, file)))
    .map((file) => `${entry.declaredBy}: ${file} was not built`);
}

/** A bin must start with Bun's shebang (kept from the source) and be executable. */
function binProblems(pkg: WorkspacePackage, entries: EntryPoint[]): string[] {
  const problems: string[] = [];
  for (const entry of entries.filter((candidate) => candidate.declaredBy.includes(' bin.'))) {
    const file = join(pkg.dir, entry.output);
    if (!existsSync(file)) continue;
    const firstLine = readFileSync(file, 'utf8').split('\n', 1)[0];
    if (firstLine !== SHEBANG)
      problems.push(`${entry.declaredBy}: ${entry.output} must start with "${SHEBANG}"`);
    chmodSync(file, 0o755);
  }
  return problems;
}

/**
 * Loads each built module that locates a copied folder and checks it points at the copy, not at the
 * repository it was built in. A failure names the line the source needs.
 */
async function assetResolutionProblems(pkg: WorkspacePackage): Promise<string[]> {
  const problems: string[] = [];
  for (const asset of RUNTIME_ASSETS[pkg.manifest.name] ?? []) {
    if (asset.resolvedBy === undefined) continue;
    const { module, exportName } = asset.resolvedBy;
    const loaded = (await import(join(pkg.dir, module))) as Record<string, unknown>;
    const expected = join(pkg.dir, asset.to);
    if (loaded[exportName] !== expected) {
      problems.push(
        `${module}: ${exportName} is ${JSON.stringify(loaded[exportName])}, not the packaged copy ` +
          `${relative(REPO_ROOT, expected)}: the source must look for "../${relative(join(pkg.dir, 'dist'), expected)}" ` +
          'relative to import.meta.url first (the built module sits one level below dist/)',
      );
    }
  }
  return problems;
}
