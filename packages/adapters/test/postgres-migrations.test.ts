/**
 * The committed Postgres migrations, checked without a database: they stay in step with the SQLite ones
 * (same tables, columns, nullability, keys, indexes, foreign keys and ON DELETE rules — what the row-type
 * test cannot see), and none ties its foreign keys to the `public` schema.
 */
import { describe, expect, test } from 'bun:test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const migrationsRoot = join(import.meta.dir, '..', '..', '..', 'migrations');

interface Journal {
  entries: { idx: number; tag: string }[];
}

interface SnapshotTable {
  name: string;
  columns: Record<string, { name: string; notNull: boolean; primaryKey: boolean }>;
  indexes: Record<string, { columns: (string | { expression: string })[]; isUnique: boolean }>;
  foreignKeys: Record<
    string,
    { tableTo: string; columnsFrom: string[]; columnsTo: string[]; onDelete?: string; onUpdate?: string }
  >;
  compositePrimaryKeys: Record<string, { name: string; columns: string[] }>;
  uniqueConstraints: Record<string, unknown>;
}

function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

/** The snapshot drizzle-kit wrote with the dialect's newest migration: the schema as migrated. */
function latestTables(dialect: 'sqlite' | 'postgres'): SnapshotTable[] {
  const journal = readJson<Journal>(join(migrationsRoot, dialect, 'meta', '_journal.json'));
  const last = journal.entries.at(-1);
  if (last === undefined) throw new Error(`no ${dialect} migrations`);
  const file = `${String(last.idx).padStart(4, '0')}_snapshot.json`;
  const snapshot = readJson<{ tables: Record<string, SnapshotTable> }>(
    join(migrationsRoot, dialect, 'meta', file),
  );
  return Object.values(snapshot.tables);
}

/** What both dialects must agree on, in a dialect-neutral shape (types differ by design: bigint/integer…). */
function shape(tables: SnapshotTable[]) {
  return Object.fromEntries(
    tables
      .toSorted((a, b) => a.name.localeCompare(b.name))
      .map((table) => [
        table.name,
        {
          columns: Object.values(table.columns)
            .map((c) => `${c.name}${c.primaryKey ? ' primary key' : ''}${c.notNull ? ' not null' : ''}`)
            .toSorted(),
          indexes: Object.entries(table.indexes)
            .map(([name, index]) => {
              const columns = index.columns.map((c) => (typeof c === 'string' ? c : c.expression));
              return `${index.isUnique ? 'unique ' : ''}${name} (${columns.join(', ')})`;
            })
            .toSorted(),
          foreignKeys: Object.values(table.foreignKeys)
            .map(
              (fk) =>
                `(${fk.columnsFrom.join(', ')}) → ${fk.tableTo}(${fk.columnsTo.join(', ')}) ` +
                `on delete ${fk.onDelete ?? 'no action'} on update ${fk.onUpdate ?? 'no action'}`,
            )
            .toSorted(),
          primaryKeys: Object.values(table.compositePrimaryKeys)
            .map((pk) => `${pk.name} (${pk.columns.join(', ')})`)
            .toSorted(),
          uniqueConstraints: Object.keys(table.uniqueConstraints).toSorted(),
        },
      ]),
  );
}

describe('postgres migrations', () => {
  // Full-text search is not compared here, and needs no ignore list: drizzle-kit cannot express it (an FTS5
  // virtual table with triggers on SQLite, a generated tsvector column with a GIN index on Postgres), so it
  // lives in hand-written (`--custom`) migrations, whose snapshots drizzle-kit copies unchanged. The two
  // designs have nothing in common to compare; the conformance suite's search cases hold them to one contract.
  test('describe the same tables, keys, indexes and foreign keys as the sqlite migrations', () => {
    expect(shape(latestTables('postgres'))).toEqual(shape(latestTables('sqlite')));
  });

  test('both dialects have the hand-written message search migration, under the same tag', () => {
    const tags = (dialect: 'sqlite' | 'postgres') =>
      readJson<Journal>(join(migrationsRoot, dialect, 'meta', '_journal.json')).entries.map(
        (entry) => entry.tag,
      );
    expect(tags('postgres')).toEqual(tags('sqlite'));
    const search = (dialect: 'sqlite' | 'postgres') =>
      readFileSync(join(migrationsRoot, dialect, '0002_message_search.sql'), 'utf8');
    expect(search('sqlite')).toContain('USING fts5(');
    expect(search('sqlite')).toContain("tokenize = 'unicode61 remove_diacritics 0'");
    expect(search('postgres')).toContain(
      'GENERATED ALWAYS AS (to_tsvector(\'simple\'::regconfig, "content")) STORED',
    );
    expect(search('postgres')).toContain('USING gin ("search_vector")');
  });

  test('every journal entry has its SQL file', () => {
    const dir = join(migrationsRoot, 'postgres');
    const files = readdirSync(dir).filter((name) => name.endsWith('.sql'));
    const journal = readJson<Journal>(join(dir, 'meta', '_journal.json'));
    expect(files.toSorted()).toEqual(journal.entries.map((entry) => `${entry.tag}.sql`).toSorted());
  });

  // A store lives in the schema on its `search_path`; `REFERENCES "public"."users"` would point every other
  // schema's foreign keys at `public`. `bun run db:generate:postgres` strips the qualifier drizzle-kit adds.
  test('no migration qualifies a table with the public schema', () => {
    const dir = join(migrationsRoot, 'postgres');
    for (const file of readdirSync(dir).filter((name) => name.endsWith('.sql'))) {
      expect({ file, qualified: readFileSync(join(dir, file), 'utf8').includes('"public".') }).toEqual({
        file,
        qualified: false,
      });
    }
  });
});
