/**
 * @module @zekka/adapters/sqlite
 * The embedded default `Store`: SQLite through `bun:sqlite` and drizzle. Every method that the port calls
 * atomic runs as one synchronous transaction (or one statement): drizzle's bun:sqlite transactions are
 * synchronous, and an `await` inside one would let other calls interleave, so none is ever used there.
 *
 * @example
 * const store = createSqliteStore({ url: 'sqlite:./data/zekka.db' });
 */

import type { Store } from '@zekka/core';
import { createApiKeyRepository } from './api-keys.ts';
import { createBudgetRepository } from './budgets.ts';
import { WalCheckpointer } from './checkpointer.ts';
import { createConversationRepository } from './conversations.ts';
import { isMemoryPath, openSqliteDatabase } from './database.ts';
import { GroupCommit } from './group-commit.ts';
import { createMemberRepository } from './members.ts';
import { createMessageRepository } from './messages.ts';
import { createOneTimeTokenRepository } from './one-time-tokens.ts';
import { createProjectReads } from './project-reads.ts';
import { createProjectRepository } from './projects.ts';
import { ReadCache } from './read-cache.ts';
import { createSessionRepository } from './sessions.ts';
import { parseSqliteUrl } from './url.ts';
import { createUsageRepository } from './usage.ts';
import { createUserRepository } from './users.ts';

export {
  DEFAULT_SQLITE_MIGRATIONS_FOLDER,
  type OpenedSqlite,
  type OpenSqliteOptions,
  openSqliteDatabase,
  type SqliteDatabase,
} from './database.ts';
export * as sqliteSchema from './schema.ts';
export { isSqliteUrl, parseSqliteUrl } from './url.ts';

/** Where the database is: a `sqlite:` URL, or a path (`:memory:` for a throwaway in-memory database). */
export type SqliteStoreOptions = ({ url: string; path?: never } | { path: string; url?: never }) & {
  /**
   * Folder of drizzle-kit migrations applied at open.
   * @default the repository's `migrations/sqlite`
   */
  migrationsFolder?: string;
  /**
   * How long a write waits for another connection's lock before failing.
   * @default 5000
   */
  busyTimeoutMs?: number;
  /**
   * Where WAL checkpoints run: `background`, on a worker thread with a connection of its own, off the
   * event loop (see `checkpointer.ts`); or `inline`, SQLite's default, inside the commit that crosses
   * 1,000 pages. In-memory databases have no log: the option does nothing for them.
   * @default 'background'
   */
  checkpoints?: 'background' | 'inline';
};

/** With background checkpoints, the main connection checkpoints itself only past this many log pages. */
const SAFETY_CHECKPOINT_PAGES = 10_000;
const SQLITE_CHECKPOINT_PAGES = 1_000;

/**
 * Opens the database (creating the file and its folder when missing), sets WAL, `synchronous=NORMAL`,
 * foreign keys and a busy timeout, applies pending migrations, and returns the `Store` over it.
 *
 * @example createSqliteStore({ path: ':memory:' })
 */
export function createSqliteStore(options: SqliteStoreOptions): Store {
  const path = options.url === undefined ? options.path : parseSqliteUrl(options.url);
  if (path === undefined) throw new Error('createSqliteStore needs a `url` or a `path`');
  const { checkpoints = 'background' } = options;
  if (checkpoints !== 'background' && checkpoints !== 'inline') {
    throw new Error(
      `createSqliteStore: checkpoints must be 'background' or 'inline', not ${JSON.stringify(checkpoints)}`,
    );
  }
  const { client, db } = openSqliteDatabase({
    path,
    migrationsFolder: options.migrationsFolder,
    busyTimeoutMs: options.busyTimeoutMs,
  });
  const ping = client.query('SELECT 1');
  const checkpointer =
    checkpoints === 'background' && !isMemoryPath(path)
      ? new WalCheckpointer({
          path,
          busyTimeoutMs: options.busyTimeoutMs ?? 5000,
          onFailure: () => client.run(`PRAGMA wal_autocheckpoint = ${SQLITE_CHECKPOINT_PAGES}`),
        })
      : null;
  if (checkpointer !== null) client.run(`PRAGMA wal_autocheckpoint = ${SAFETY_CHECKPOINT_PAGES}`);
  const commits = new GroupCommit(client, checkpointer === null ? undefined : () => checkpointer.committed());

  return {
    users: createUserRepository(db),
    sessions: createSessionRepository(db),
    apiKeys: createApiKeyRepository(db),
    oneTimeTokens: createOneTimeTokenRepository(db),
    projects: createProjectRepository(db, createProjectReads(client, new ReadCache(client))),
    members: createMemberRepository(db),
    conversations: createConversationRepository(db),
    messages: createMessageRepository(db, client, commits),
    usage: createUsageRepository(db),
    budgets: createBudgetRepository(db),
    async ping() {
      ping.get();
    },
    async close() {
      // Writes still queued are committed first: their callers were promised a durable write.
      commits.flush();
      if (checkpointer !== null) {
        // A last checkpoint leaves the file complete on its own, whenever SQLite lets go of the log.
        await checkpointer.checkpoint();
        await checkpointer.close();
      }
      client.close();
    },
  };
}

/**
 * Applies pending migrations to the database at `path` (or a `sqlite:` URL) and closes it; what
 * `zekka migrate` runs. Applying is idempotent: already-applied migrations are skipped.
 */
export function migrateSqlite(path: string, options: { migrationsFolder?: string } = {}): void {
  const target = path.startsWith('sqlite:') ? parseSqliteUrl(path) : path;
  openSqliteDatabase({ path: target, migrationsFolder: options.migrationsFolder }).client.close();
}
