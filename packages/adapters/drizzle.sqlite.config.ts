/**
 * drizzle-kit config for the SQLite schema. Generation is offline (no database needed):
 * `bun run db:generate` from the repository root writes SQL and snapshots to `migrations/sqlite`.
 */
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './src/sqlite/schema.ts',
  out: '../../migrations/sqlite',
  strict: true,
  verbose: true,
});
