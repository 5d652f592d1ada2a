/**
 * The store conformance suite on SQLite (in memory and on a file), plus what only SQLite has: pragmas,
 * migrations on reopen, atomicity across connections to one file (worker threads), and `sqlite:` URLs.
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageRecord } from '@zekka/core';
import { runStoreConformance } from '../src/conformance/index.ts';
import {
  givenConversation,
  makeConversation,
  makeMessage,
  makeRefreshToken,
  makeSession,
  makeUser,
  NOW,
} from '../src/conformance/store/fixtures.ts';
import {
  createSqliteStore,
  DEFAULT_SQLITE_MIGRATIONS_FOLDER,
  isSqliteUrl,
  migrateSqlite,
  openSqliteDatabase,
  parseSqliteUrl,
} from '../src/sqlite/index.ts';
import type { ContentionJob, ContentionResult } from './sqlite-contention.worker.ts';

/** A fresh temporary directory, removed by the returned cleanup. */
function tempDir(): { dir: string; cleanup: () => Promise<void> } {
  const dir = mkdtempSync(join(tmpdir(), 'zekka-sqlite-'));
  return { dir, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
}

runStoreConformance('sqlite :memory:', async () => ({ store: createSqliteStore({ path: ':memory:' }) }));

runStoreConformance('sqlite file', async () => {
  const { dir, cleanup } = tempDir();
  // A nested path also checks that the parent folder is created.
  return { store: createSqliteStore({ url: `sqlite:${join(dir, 'nested', 'zekka.db')}` }), cleanup };
});

describe('sqlite adapter', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  const fileDb = () => {
    const { dir, cleanup } = tempDir();
    cleanups.push(cleanup);
    return join(dir, 'zekka.db');
  };

  test('a file database opens with WAL, synchronous=NORMAL, foreign keys and a busy timeout', () => {
    const { client } = openSqliteDatabase({ path: fileDb() });
    try {
      expect(client.query('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'wal' });
      expect(client.query('PRAGMA synchronous').get()).toEqual({ synchronous: 1 });
      expect(client.query('PRAGMA foreign_keys').get()).toEqual({ foreign_keys: 1 });
      expect(client.query('PRAGMA busy_timeout').get()).toEqual({ timeout: 5000 });
    } finally {
      client.close();
    }
  });

  test('an in-memory database enforces foreign keys too', () => {
    const { client } = openSqliteDatabase({ path: ':memory:' });
    try {
      expect(client.query('PRAGMA foreign_keys').get()).toEqual({ foreign_keys: 1 });
      expect(() =>
        client.run("INSERT INTO sessions VALUES ('s', 'no-such-user', NULL, NULL, 0, 0, 1, NULL)"),
      ).toThrow(/FOREIGN KEY/);
    } finally {
      client.close();
    }
  });

  test('reopening applies no migration twice and keeps the data', async () => {
    const path = fileDb();
    const store = createSqliteStore({ path });
    const user = makeUser({ email: 'kept@example.test' });
    await store.users.create(user);
    await store.close();

    migrateSqlite(`sqlite:${path}`);
    const { client } = openSqliteDatabase({ path });
    try {
      const applied = client.query('SELECT hash FROM __drizzle_migrations').all();
      const journal = await Bun.file(
        new URL('../../../migrations/sqlite/meta/_journal.json', import.meta.url),
      ).json();
      expect(applied).toHaveLength(journal.entries.length);
    } finally {
      client.close();
    }
    const reopened = createSqliteStore({ path });
    expect(await reopened.users.findByEmail('kept@example.test')).toEqual(user);
    await reopened.close();
  });

  test('the search index matches the messages after every kind of write', async () => {
    const path = fileDb();
    const store = createSqliteStore({ path });
    const { owner, conversation: first } = await givenConversation(store);
    const second = await store.conversations.create(makeConversation(first.projectId, owner.id));
    const conversations = [first, second];
    // Concurrent writes share transactions (group commit): several messages per batch, some failing.
    const written = await Promise.allSettled(
      conversations.flatMap((conversation) =>
        ['alpha beta', '', 'gamma delta', 'epsilon'].map((content, i) =>
          store.messages.create(makeMessage(conversation, { content, createdAt: NOW + i })),
        ),
      ),
    );
    const messages = written.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
    const duplicate = store.messages.create(messages[0] as MessageRecord);
    await Promise.all(
      messages.slice(1, 4).map((message, i) =>
        store.messages.complete(
          message.id,
          {
            content: i === 0 ? message.content : `rewritten ${i}`,
            status: 'complete',
            model: 'echo',
            inputTokens: 1,
            outputTokens: 1,
            costMicroUsd: 0,
            updatedAt: NOW + 10,
          },
          null,
        ),
      ),
    );
    await expect(duplicate).rejects.toThrow();
    await store.messages.delete(messages[4]?.id as string);
    await store.conversations.softDelete(conversations[1]?.id as string, NOW + 20);
    await store.close();

    const check = openSqliteDatabase({ path }).client;
    try {
      // Deletes cascade too: a hard delete of a conversation takes its messages (and their entries) along.
      check.run('DELETE FROM conversations WHERE id = ?', [conversations[1]?.id as string]);
      // 'integrity-check' with rank 1 compares the index with the content table row by row.
      check.run("INSERT INTO messages_fts (messages_fts, rank) VALUES ('integrity-check', 1)");
      const hits = check
        .query(
          "SELECT m.content FROM messages_fts f JOIN messages m ON m.rowid = f.rowid WHERE messages_fts MATCH 'rewritten OR alpha' ORDER BY m.content",
        )
        .all();
      // The first conversation's: its first message, and the two whose content was replaced.
      expect(hits).toEqual([
        { content: 'alpha beta' },
        { content: 'rewritten 1' },
        { content: 'rewritten 2' },
      ]);
    } finally {
      check.close();
    }
  });

  test('migrating to conversation_stats fills it from the messages already stored', async () => {
    const path = fileDb();
    // The migrations as they were before 0004: a copy of the folder with the journal cut there.
    const before = join(path, '..', 'migrations-before-0004');
    cpSync(DEFAULT_SQLITE_MIGRATIONS_FOLDER, before, { recursive: true });
    const journalPath = join(before, 'meta', '_journal.json');
    const journal = JSON.parse(readFileSync(journalPath, 'utf8')) as { entries: { tag: string }[] };
    journal.entries = journal.entries.filter((entry) => entry.tag < '0004');
    writeFileSync(journalPath, JSON.stringify(journal));

    // Rows as that schema held them, written with SQL (today's store would not open it).
    const old = openSqliteDatabase({ path, migrationsFolder: before }).client;
    old.run(`INSERT INTO users (id, email, name, role, password_hash, created_at, updated_at)
      VALUES ('u', 'u@example.test', 'U', 'user', 'x', ${NOW}, ${NOW})`);
    old.run(`INSERT INTO projects (id, name, status, owner_id, created_at, updated_at)
      VALUES ('p', 'P', 'active', 'u', ${NOW}, ${NOW})`);
    old.run(
      `INSERT INTO project_members (project_id, user_id, role, added_at) VALUES ('p', 'u', 'owner', ${NOW})`,
    );
    old.run(`INSERT INTO conversations (id, project_id, archived, created_by, created_at, updated_at)
      VALUES ('c', 'p', 0, 'u', ${NOW}, ${NOW})`);
    for (const [id, at] of [
      ['m1', NOW + 5],
      ['m2', NOW],
    ] as const) {
      old.run(`INSERT INTO messages (id, conversation_id, project_id, role, content, status, attachments,
        created_at, updated_at) VALUES ('${id}', 'c', 'p', 'user', 'hi', 'complete', '[]', ${at}, ${at})`);
    }
    old.close();

    const store = createSqliteStore({ path });
    expect(await store.conversations.findForMember('c', 'u')).toMatchObject({
      messageCount: 2,
      lastMessageAt: NOW + 5,
    });
    await store.close();
  });

  test('atomic methods hold across connections: workers racing on one file', async () => {
    const path = fileDb();
    const store = createSqliteStore({ path });
    const user = makeUser();
    await store.users.create(user);
    const session = makeSession(user.id);
    const token = makeRefreshToken(session.id);
    await store.sessions.create(session, token);

    const workers = 4;
    const rounds = 25;
    const job: ContentionJob = { path, userId: user.id, refreshTokenHash: token.tokenHash, rounds, now: NOW };
    const results = await Promise.all(
      Array.from({ length: workers }, () => {
        const worker = new Worker(new URL('./sqlite-contention.worker.ts', import.meta.url));
        return new Promise<ContentionResult>((resolve, reject) => {
          worker.onmessage = (event: MessageEvent<ContentionResult>) => resolve(event.data);
          worker.onerror = (event) => reject(new Error(event.message));
          worker.postMessage(job);
        }).finally(() => worker.terminate());
      }),
    );
    const outcomes = results.flatMap((result) => result.rotations);
    expect(outcomes.filter((outcome) => outcome === 'rotated')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'reused')).toHaveLength(workers * rounds - 1);
    expect(await store.users.findById(user.id)).toMatchObject({ failedLoginCount: workers * rounds });
    await store.close();
  });

  test('a closed store fails ping', async () => {
    const store = createSqliteStore({ path: ':memory:' });
    await store.ping();
    await store.close();
    await expect(store.ping()).rejects.toThrow();
  });

  test('parseSqliteUrl accepts sqlite:<path>, sqlite://<path> and sqlite::memory:', () => {
    expect(parseSqliteUrl('sqlite:./data/zekka.db')).toBe('./data/zekka.db');
    expect(parseSqliteUrl('sqlite:data/zekka.db')).toBe('data/zekka.db');
    expect(parseSqliteUrl('sqlite:///var/lib/zekka.db')).toBe('/var/lib/zekka.db');
    expect(parseSqliteUrl('sqlite://relative/zekka.db')).toBe('relative/zekka.db');
    expect(parseSqliteUrl('sqlite::memory:')).toBe(':memory:');
    expect(() => parseSqliteUrl('postgres://localhost/zekka')).toThrow(/Not a SQLite URL/);
    expect(() => parseSqliteUrl('sqlite:')).toThrow(/no path/);
    expect(isSqliteUrl('sqlite::memory:')).toBe(true);
    expect(isSqliteUrl('postgresql://x')).toBe(false);
  });
});
