/**
 * @module migrations-folder
 * Where a dialect's SQL migrations are. A published package carries its own copy (the build puts it in
 * `dist/migrations/<dialect>`, one level above every built module); inside the repository, and in the
 * Docker image, they live in `migrations/<dialect>` at the root.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export function defaultMigrationsFolder(dialect: 'sqlite' | 'postgres'): string {
  const packaged = fileURLToPath(new URL(`../migrations/${dialect}`, import.meta.url));
  if (existsSync(packaged)) return packaged;
  // This file is packages/adapters/src/migrations-folder.ts: three levels below the repository root.
  return fileURLToPath(new URL(`../../../migrations/${dialect}`, import.meta.url));
}
