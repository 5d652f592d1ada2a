/**
 * One `migratePostgres` run as its own process, for `postgres-store.test.ts`, which starts two at once:
 * `bun postgres-migrate.script.ts <url> <schema>` prints `{"applied":N}`.
 */
import { migratePostgres } from '../src/postgres/index.ts';

const [url, schema] = process.argv.slice(2);
if (url === undefined || schema === undefined) {
  console.error('usage: bun postgres-migrate.script.ts <url> <schema>');
  process.exit(2);
}
console.log(JSON.stringify(await migratePostgres({ url, schema })));
