/**
 * @module resolve-imports
 * Checks that every module the image's sources import at run time resolves inside the image's folder. A
 * production install leaves out devDependencies, so a package imported by shipped code but declared only as a
 * devDependency (or as an optional peer nothing installs, such as a database driver) is found here instead of
 * by the first user who sets `DATABASE_URL` or `REDIS_URL`. Type-only imports are not counted: the
 * transpiler drops them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';

export interface UnresolvedImport {
  /** The importing file, relative to the app folder. */
  file: string;
  specifier: string;
}

const BUILTINS = new Set(builtinModules);
const SOURCE_FILE = /\.(?:[cm]?ts|tsx|[cm]?js|jsx)$/;

/**
 * The run-time imports of the source files under `appDir` (skipping `node_modules`) that do not resolve
 * from the importing file's folder.
 */
export function unresolvedImports(appDir: string): UnresolvedImport[] {
  const transpiler = new Bun.Transpiler({ loader: 'ts' });
  const missing: UnresolvedImport[] = [];
  for (const file of sourceFiles(appDir)) {
    // The transpiler rejects a shebang line (the CLI has one); Bun itself skips it.
    const code = readFileSync(file, 'utf8').replace(/^#!.*/, '');
    for (const { path: specifier } of transpiler.scanImports(code)) {
      if (specifier.startsWith('bun:') || specifier.startsWith('node:') || BUILTINS.has(specifier)) continue;
      try {
        Bun.resolveSync(specifier, dirname(file));
      } catch {
        missing.push({ file: relative(appDir, file), specifier });
      }
    }
  }
  return missing;
}

function sourceFiles(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') files.push(...sourceFiles(path));
    else if (entry.isFile() && SOURCE_FILE.test(entry.name) && !entry.name.endsWith('.d.ts'))
      files.push(path);
  }
  return files;
}
