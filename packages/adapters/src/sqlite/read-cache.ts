/**
 * @module sqlite/read-cache
 * A cache for hot reads, invalidated by SQLite's own change counters rather than by hand:
 *
 * - `total_changes()` counts the rows this connection changed. It is checked on every lookup (it costs
 *   tens of nanoseconds), so every write through this store — by any repository, present or future — is
 *   seen by the next read. There is no invalidation call anyone could forget.
 * - `data_version` moves when *another* connection commits (a second process on the same file, the CLI).
 *   In WAL mode it takes shared-memory locks and costs microseconds, as much as the reads it would save,
 *   so it is checked at most every `externalCheckMs`: another process's writes reach cached reads within
 *   that time. (A SQLite database is served by one server process; several instances share Postgres.)
 *
 * Reads inside a transaction bypass the cache, since a rollback undoes changes but not the counters.
 * Entries hold the raw `values()` rows (arrays of primitives), never the objects handed to callers, so a
 * caller that mutates a returned record cannot corrupt the cache.
 */
import type { Database, Statement } from 'bun:sqlite';

export type RawRow = (string | number | bigint | boolean | null | Uint8Array)[];

export interface ReadCacheOptions {
  /** Past this many entries the cache starts over (cheaper than LRU bookkeeping on every hit). @default 10000 */
  maxEntries?: number;
  /** How often to look for commits by other connections, in ms. @default 100 */
  externalCheckMs?: number;
}

export class ReadCache {
  private readonly changesQuery: Statement;
  private readonly versionQuery: Statement;
  private readonly maxEntries: number;
  private readonly externalCheckMs: number;
  private changes = -1;
  private version = -1;
  private versionCheckedAt = Number.NEGATIVE_INFINITY;
  private readonly entries = new Map<string, RawRow[]>();

  constructor(
    private readonly client: Database,
    options: ReadCacheOptions = {},
  ) {
    this.changesQuery = client.query('SELECT total_changes()');
    this.versionQuery = client.query('PRAGMA data_version');
    this.maxEntries = options.maxEntries ?? 10_000;
    this.externalCheckMs = options.externalCheckMs ?? 100;
  }

  /** The rows of `statement` for `params`, from the cache when nothing changed since they were read. */
  rows(key: string, statement: Statement, params: readonly (string | number | null)[]): RawRow[] {
    if (this.client.inTransaction) return statement.values(...params) as RawRow[];
    if (this.changed()) this.entries.clear();
    let rows = this.entries.get(key);
    if (rows === undefined) {
      rows = statement.values(...params) as RawRow[];
      if (this.entries.size >= this.maxEntries) this.entries.clear();
      this.entries.set(key, rows);
    }
    return rows;
  }

  private changed(): boolean {
    let changed = false;
    const changes = (this.changesQuery.values()[0] as [number])[0];
    if (changes !== this.changes) {
      this.changes = changes;
      changed = true;
    }
    const now = performance.now();
    if (now - this.versionCheckedAt >= this.externalCheckMs) {
      this.versionCheckedAt = now;
      const version = (this.versionQuery.values()[0] as [number])[0];
      if (version !== this.version) {
        this.version = version;
        changed = true;
      }
    }
    return changed;
  }
}
