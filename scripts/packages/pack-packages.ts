/**
 * @module packages/pack-packages
 * Packing built packages into the tarballs a registry would receive, with `bun pm pack`.
 *
 * The repository's manifests point Bun at `src/`, which is not published, and `bun pm pack` 1.4.5 copies
 * a manifest as it is (it ignores `publishConfig.exports`). So each package is packed from a staged copy:
 * a temporary workspace with the root's catalog and, per package, its publish manifest (see manifest.ts)
 * and the files it publishes. `bun pm pack` still does what only it should: `workspace:*` becomes the
 * sibling's version and `catalog:` the catalog's, and `files` decides what goes in. Nothing in the
 * repository is rewritten, not even for a moment.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishManifest, REPO_ROOT, type WorkspacePackage } from './manifest.ts';

/** Packed whether or not `files` lists them (by npm and by `bun pm pack`), so staged too. */
const ALWAYS_PUBLISHED = /^(readme|license|licence)(\..*)?$/i;

export interface PackedPackage {
  name: string;
  /** Absolute path of the tarball. */
  tarball: string;
}

/**
 * Packs each (already built) package into `destination`, one `<scope>-<name>-<version>.tgz` each.
 * @returns the tarballs, in the order of `packages`
 */
export async function packPackages(
  packages: WorkspacePackage[],
  destination: string,
): Promise<PackedPackage[]> {
  mkdirSync(destination, { recursive: true });
  const stage = mkdtempSync(join(tmpdir(), 'zekka-pack-'));
  try {
    stageWorkspaceRoot(stage);
    for (const pkg of packages) stagePackage(pkg, join(stage, 'packages', pkg.folder));
    const packed: PackedPackage[] = [];
    for (const pkg of packages) {
      const tarball = await bunPmPack(join(stage, 'packages', pkg.folder), destination);
      packed.push({ name: pkg.manifest.name, tarball });
    }
    return packed;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

/** A root manifest with only the packages workspace and the repository's catalog, for `catalog:`. */
function stageWorkspaceRoot(stage: string): void {
  const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as {
    workspaces: { catalog?: Record<string, string> };
  };
  const manifest = {
    name: 'zekka-pack',
    private: true,
    workspaces: { packages: ['packages/*'], catalog: root.workspaces.catalog ?? {} },
  };
  writeFileSync(join(stage, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}

function stagePackage(pkg: WorkspacePackage, into: string): void {
  mkdirSync(into, { recursive: true });
  const manifest = publishManifest(pkg.manifest);
  writeFileSync(join(into, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  const listed = manifest.files ?? [];
  const alwaysPublished = readdirSync(pkg.dir).filter((name) => ALWAYS_PUBLISHED.test(name));
  for (const path of [...listed, ...alwaysPublished]) {
    const from = join(pkg.dir, path);
    if (!existsSync(from))
      throw new Error(`${pkg.manifest.name}: "files" lists ${path}, which does not exist (build first)`);
    cpSync(from, join(into, path), { recursive: true });
  }
}

async function bunPmPack(packageDir: string, destination: string): Promise<string> {
  const pack = Bun.spawn(
    [process.execPath, 'pm', 'pack', '--quiet', '--ignore-scripts', '--destination', destination],
    {
      cwd: packageDir,
      stdout: 'pipe',
      stderr: 'pipe',
    },
  );
  const [stdout, stderr, code] = await Promise.all([
    new Response(pack.stdout).text(),
    new Response(pack.stderr).text(),
    pack.exited,
  ]);
  const tarball = stdout.trim().split('\n').at(-1) ?? '';
  if (code !== 0 || !tarball.endsWith('.tgz')) {
    throw new Error(`bun pm pack in ${packageDir} failed (exit ${code}):\n${stdout}${stderr}`);
  }
  return tarball.startsWith('/') ? tarball : join(destination, tarball);
}
