/**
 * @module packages/manifest
 * The publishable packages' manifests, as written in the repository and as published.
 *
 * In the repository every subpath export names its TypeScript source for Bun and for TypeScript, and the
 * built file for everything else:
 *
 *   "./sqlite": { "types": "./src/sqlite/index.ts", "bun": "./src/sqlite/index.ts", "import": "./dist/sqlite/index.js" }
 *
 * so Bun, the tests and `tsc` run on the sources with no build step. (`types` names the source too:
 * TypeScript takes the first condition it knows, so a `types` pointing into `dist/` would make the
 * repository's typecheck depend on a build.) `src/` is not published, so the packed manifest points every
 * condition into `dist/`:
 *
 *   "./sqlite": { "types": "./dist/sqlite/index.d.ts", "bun": "./dist/sqlite/index.js", "import": "./dist/sqlite/index.js" }
 *
 * and `bin` moves from `./src/cli.ts` to `./dist/cli.js` the same way. `bun pm pack` (1.4.5) ignores
 * `publishConfig.exports`, so the rewrite is done here, on a staged copy (see pack-packages.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** The repository root, two levels above this file. */
export const REPO_ROOT = resolve(import.meta.dir, '..', '..');

/** One subpath's conditions, in the order TypeScript and Bun read them. */
export interface ExportConditions {
  types: string;
  bun: string;
  import: string;
}

/** The fields of a package manifest this build reads or writes; the rest is carried over as is. */
export interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  exports?: Record<string, ExportConditions>;
  bin?: Record<string, string>;
  files?: string[];
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [field: string]: unknown;
}

export interface WorkspacePackage {
  /** Absolute path of the package folder. */
  dir: string;
  /** The folder's name under packages/ (`core`, `adapters`, `server`). */
  folder: string;
  manifest: PackageManifest;
}

/** One file the build produces from one source: an export's or a bin's. */
export interface EntryPoint {
  /** What declares it, for messages: `exports["./sqlite"]` or `bin.zekka`. */
  declaredBy: string;
  /** `./src/sqlite/index.ts` */
  source: string;
  /** `./dist/sqlite/index.js` */
  output: string;
  /** `./dist/sqlite/index.d.ts` */
  declaration: string;
}

const SOURCE = /^\.\/src\/(.+)\.ts$/;

/** `./src/a/b.ts` → `./dist/a/b.js` and `./dist/a/b.d.ts`; anything else is a mistake in the manifest. */
function entryFor(declaredBy: string, source: string): EntryPoint {
  const stem = SOURCE.exec(source)?.[1];
  if (stem === undefined)
    throw new Error(`${declaredBy} must name a TypeScript file under ./src, not "${source}"`);
  return { declaredBy, source, output: `./dist/${stem}.js`, declaration: `./dist/${stem}.d.ts` };
}

/**
 * The entry points of a package: one per subpath export and one per bin. Throws when an export does not
 * have the repository shape above (types and bun on the same source, import on its built file), since the
 * build and the published manifest are both derived from it.
 */
export function entryPoints(manifest: PackageManifest): EntryPoint[] {
  const entries: EntryPoint[] = [];
  for (const [subpath, conditions] of Object.entries(manifest.exports ?? {})) {
    const declaredBy = `${manifest.name} exports["${subpath}"]`;
    if (typeof conditions !== 'object' || conditions === null) {
      throw new Error(`${declaredBy} must be { types, bun, import }, not ${JSON.stringify(conditions)}`);
    }
    const entry = entryFor(declaredBy, conditions.bun);
    if (conditions.types !== conditions.bun || conditions.import !== entry.output) {
      throw new Error(
        `${declaredBy} must be ${JSON.stringify({ types: entry.source, bun: entry.source, import: entry.output })}`,
      );
    }
    entries.push(entry);
  }
  for (const [name, source] of Object.entries(manifest.bin ?? {})) {
    entries.push(entryFor(`${manifest.name} bin.${name}`, source));
  }
  return entries;
}

/**
 * The manifest as published: every export and bin pointing into `dist/`, without `scripts` (they run the
 * repository's tooling) or `devDependencies`. `workspace:*` and `catalog:` versions are left for
 * `bun pm pack` to replace with real ones.
 */
export function publishManifest(manifest: PackageManifest): PackageManifest {
  const { scripts: _scripts, devDependencies: _devDependencies, ...published } = manifest;
  const byDeclaration = new Map(entryPoints(manifest).map((entry) => [entry.declaredBy, entry]));
  const built = (declaredBy: string): EntryPoint => {
    const entry = byDeclaration.get(declaredBy);
    if (entry === undefined) throw new Error(`no entry point for ${declaredBy}`);
    return entry;
  };
  if (manifest.exports !== undefined) {
    published.exports = Object.fromEntries(
      Object.keys(manifest.exports).map((subpath) => {
        const entry = built(`${manifest.name} exports["${subpath}"]`);
        return [subpath, { types: entry.declaration, bun: entry.output, import: entry.output }];
      }),
    );
  }
  if (manifest.bin !== undefined) {
    published.bin = Object.fromEntries(
      Object.keys(manifest.bin).map((name) => [name, built(`${manifest.name} bin.${name}`).output]),
    );
  }
  return published;
}

/** The workspace packages a package depends on (`workspace:` versions), by name. */
export function workspaceDependencies(manifest: PackageManifest): string[] {
  return Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies })
    .filter(([, version]) => version.startsWith('workspace:'))
    .map(([name]) => name);
}

/**
 * Every package under packages/ that is not private, each after the workspace packages it depends on, so
 * that a package's declarations are built against its dependencies' built declarations.
 */
export function publishablePackages(root: string = REPO_ROOT): WorkspacePackage[] {
  const found = readdirSync(join(root, 'packages'), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry): WorkspacePackage => {
      const dir = join(root, 'packages', entry.name);
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageManifest;
      return { dir, folder: entry.name, manifest };
    })
    .filter((pkg) => pkg.manifest.private !== true);
  const byName = new Map(found.map((pkg) => [pkg.manifest.name, pkg]));
  const ordered: WorkspacePackage[] = [];
  const visit = (pkg: WorkspacePackage, path: string[]) => {
    if (ordered.includes(pkg)) return;
    if (path.includes(pkg.manifest.name))
      throw new Error(`dependency cycle: ${[...path, pkg.manifest.name].join(' → ')}`);
    for (const name of workspaceDependencies(pkg.manifest)) {
      const dependency = byName.get(name);
      if (dependency !== undefined) visit(dependency, [...path, pkg.manifest.name]);
    }
    ordered.push(pkg);
  };
  for (const pkg of [...found].sort((a, b) => a.folder.localeCompare(b.folder))) visit(pkg, []);
  return ordered;
}
