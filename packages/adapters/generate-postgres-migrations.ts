/**
 * `bun run db:generate:postgres [--name <name>]`: drizzle-kit generate with `drizzle.postgres.config.ts`,
 * then one fix-up drizzle-kit has no option for. It writes every foreign key as
 * `REFERENCES "public"."users"(…)` for tables declared without a schema, which would tie the tables of a
 * store living in another schema (`PostgresStoreOptions.schema`, every test run's own schema) to `public`.
 * Unqualified, the name resolves through the connection's `search_path` like the tables themselves.
 * `test/postgres-migrations.test.ts` fails if a committed migration still carries the qualifier.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const adaptersDir = import.meta.dir;
const migrationsDir = join(adaptersDir, '..', '..', 'migrations', 'postgres');

const generate = Bun.spawnSync(
  [
    process.execPath,
    '--cwd',
    adaptersDir,
    'drizzle-kit',
    'generate',
    '--config',
    'drizzle.postgres.config.ts',
    ...process.argv.slice(2),
  ],
  { stdio: ['inherit', 'inherit', 'inherit'] },
);
if (generate.exitCode !== 0) process.exit(generate.exitCode ?? 1);

for (const file of readdirSync(migrationsDir).filter((name) => name.endsWith('.sql'))) {
  const path = join(migrationsDir, file);
  const sql = readFileSync(path, 'utf8');
  const unqualified = sql.replaceAll('REFERENCES "public".', 'REFERENCES ');
  if (unqualified !== sql) {
    writeFileSync(path, unqualified);
    console.log(`unqualified the foreign keys of ${file}`);
  }
}
