/**
 * drizzle-kit config for the Postgres schema. Generation is offline (no database needed):
 * `bun run db:generate:postgres` from the repository root writes SQL and snapshots to `migrations/postgres`.
 */
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/postgres/schema.ts',
  out: '../../migrations/postgres',
  strict: true,
  verbose: true,
});
