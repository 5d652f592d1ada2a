/**
 * @module sqlite/messages
 * `MessageRepository` on SQLite. Messages of a deleted conversation or project are invisible, like their
 * conversation — except to `complete`, which still stores a generation that finished after its conversation
 * was deleted: the tokens were spent, and the project's budget must count them.
 *
 * Search runs on `messages_fts`, an external-content FTS5 table over `messages.content`, kept in step inside
 * the transaction that writes the message: by the write statements themselves on insert and completion
 * (`message-writes.ts`, migration 0003 says why), and by a trigger on delete, so a cascade cannot leave it
 * stale either (`migrations/sqlite/0002_message_search.sql`).
 */

import type { Database } from 'bun:sqlite';
import {
  type MessageCompletion,
  type MessageListQuery,
  type MessageRecord,
  type MessageRepository,
  type MessageSearchQuery,
  type MessageSearchRow,
  type Page,
  type UsageRecord,
  ZekkaError,
} from '@zekka/core';
import { and, asc, count, desc, eq, gt, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { mapUniqueViolation } from './constraint-error.ts';
import { isLiveConversation, liveConversationRow } from './conversations.ts';
import type { SqliteDatabase } from './database.ts';
import { toFtsQuery } from './fts-query.ts';
import type { GroupCommit } from './group-commit.ts';
import { invalidCursor, messageCursor } from './message-cursor.ts';
import { createMessageWrites } from './message-writes.ts';
import { pageTotal } from './page-total.ts';
import { conversations, messages, projectMembers, projects } from './schema.ts';

/**
 * The FTS5 table, declared for the query builder only. It is not in `schema.ts`, so drizzle-kit never tries
 * to create or drop it; the migration owns it. Its rowid is the rowid of the message it indexes.
 */
const messagesFts = sqliteTable('messages_fts', {
  rowid: integer('rowid').notNull(),
  content: text('content').notNull(),
});

/** A short excerpt (at most 20 tokens) around the best match, matched words wrapped in `**`. */
const SNIPPET = sql<string>`snippet(${messagesFts}, 0, '**', '**', '…', 20)`;

type Executor = Pick<SqliteDatabase, 'select'>;

/** The conversation's messages immediately before or after the cursor message, oldest first. */
function keysetPage(
  tx: Executor,
  conversationId: string,
  anchor: { createdAt: number; id: string },
  direction: 'before' | 'after',
  limit: number,
): MessageRecord[] {
  const sameTime = eq(messages.createdAt, anchor.createdAt);
  const side: SQL | undefined =
    direction === 'before'
      ? or(lt(messages.createdAt, anchor.createdAt), and(sameTime, lt(messages.id, anchor.id)))
      : or(gt(messages.createdAt, anchor.createdAt), and(sameTime, gt(messages.id, anchor.id)));
  const order = direction === 'before' ? desc : asc;
  const rows = tx
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), side))
    .orderBy(order(messages.createdAt), order(messages.id))
    .limit(limit)
    .all();
  return direction === 'before' ? rows.reverse() : rows;
}

/**
 * The repository. A message's writes — every send makes three — go through `commits`, so concurrent sends
 * share transactions (see `group-commit.ts`).
 */
export function createMessageRepository(
  db: SqliteDatabase,
  client: Database,
  commits: GroupCommit,
): MessageRepository {
  const writes = createMessageWrites(client, (statement) => commits.atCommit(statement));
  const conversationId = sql.placeholder('conversationId');
  // The hot reads: a message by id (every delete), the newest messages (every model call's context).
  const byId = db
    .select()
    .from(messages)
    .where(and(eq(messages.id, sql.placeholder('id')), isLiveConversation(messages.conversationId)))
    .prepare();
  const recent = db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), isLiveConversation(conversationId)))
    .orderBy(desc(messages.createdAt), desc(messages.id))
    .limit(sql.placeholder('limit'))
    .prepare();

  const createMany = (list: readonly MessageRecord[]): Promise<MessageRecord[]> => {
    // One write of the batch: if any insert throws, the whole write is undone (see `group-commit.ts`).
    return commits.run(() =>
      mapUniqueViolation(
        'This message already exists',
        () =>
          list.map((message) => {
            // Bumping the conversation first finds it live (and in the message's project) in one statement.
            if (!writes.insert(message)) throw new ZekkaError('NOT_FOUND', 'Conversation not found');
            return { ...message, attachments: [...message.attachments] };
          }),
        'No such conversation or author',
      ),
    );
  };

  return {
    create: (message: MessageRecord) => createMany([message]).then(([created]) => created as MessageRecord),
    createMany,

    async findById(id) {
      return byId.get({ id }) ?? null;
    },

    async list(id: string, query: MessageListQuery): Promise<Page<MessageRecord>> {
      // One deferred transaction: the cursor, the page and the total come from the same snapshot.
      return db.transaction((tx) => {
        const conversation = tx
          .select({ id: conversations.id })
          .from(conversations)
          .where(and(eq(conversations.id, id), liveConversationRow))
          .get();
        if (conversation === undefined) return { items: [], total: 0 };
        const countAll = () =>
          tx.select({ n: count() }).from(messages).where(eq(messages.conversationId, id)).get()?.n ?? 0;

        if ('offset' in query) {
          const { offset } = query;
          const items = tx
            .select()
            .from(messages)
            .where(eq(messages.conversationId, id))
            .orderBy(asc(messages.createdAt), asc(messages.id))
            .limit(query.limit)
            .offset(offset)
            .all();
          return { items, total: pageTotal(offset, query.limit, items.length, countAll) };
        }

        const cursor = messageCursor(query);
        const anchor = tx
          .select({ createdAt: messages.createdAt, id: messages.id })
          .from(messages)
          .where(and(eq(messages.id, cursor.id), eq(messages.conversationId, id)))
          .get();
        if (anchor === undefined) throw invalidCursor(cursor);
        return { items: keysetPage(tx, id, anchor, cursor.direction, query.limit), total: countAll() };
      });
    },

    async recent(id, limit) {
      return recent.all({ conversationId: id, limit });
    },

    complete(id: string, completion: MessageCompletion, usage: UsageRecord | null) {
      return commits.run(() =>
        mapUniqueViolation('This usage record already exists', () => writes.complete(id, completion, usage)),
      );
    },

    async delete(id) {
      const deleted = db
        .delete(messages)
        .where(and(eq(messages.id, id), isLiveConversation(messages.conversationId)))
        .returning({ id: messages.id })
        .all();
      return deleted.length > 0;
    },

    async search(userId: string, query: MessageSearchQuery): Promise<Page<MessageSearchRow>> {
      const match = toFtsQuery(query.q);
      if (match === null) return { items: [], total: 0 };
      const where = and(
        sql`${messagesFts} MATCH ${match}`,
        isNull(conversations.deletedAt),
        isNull(projects.deletedAt),
        query.projectId === undefined ? undefined : eq(messages.projectId, query.projectId),
      );
      const membership = and(
        eq(projectMembers.projectId, messages.projectId),
        eq(projectMembers.userId, userId),
      );
      // One deferred transaction so the page and its total come from the same snapshot.
      return db.transaction((tx) => {
        const items = tx
          .select({ message: messages, snippet: SNIPPET })
          .from(messagesFts)
          .innerJoin(messages, sql`${messages}.rowid = ${messagesFts.rowid}`)
          .innerJoin(conversations, eq(conversations.id, messages.conversationId))
          .innerJoin(projects, eq(projects.id, messages.projectId))
          .innerJoin(projectMembers, membership)
          .where(where)
          // bm25() is lower for better matches; equally good ones come newest first.
          .orderBy(sql`bm25(${messagesFts})`, desc(messages.createdAt), desc(messages.id))
          .limit(query.limit)
          .offset(query.offset)
          .all();
        const total = pageTotal(query.offset, query.limit, items.length, () => {
          const row = tx
            .select({ n: count() })
            .from(messagesFts)
            .innerJoin(messages, sql`${messages}.rowid = ${messagesFts.rowid}`)
            .innerJoin(conversations, eq(conversations.id, messages.conversationId))
            .innerJoin(projects, eq(projects.id, messages.projectId))
            .innerJoin(projectMembers, membership)
            .where(where)
            .get();
          return row?.n ?? 0;
        });
        return { items, total };
      });
    },

    async listByAuthor(authorId) {
      return db
        .select()
        .from(messages)
        .where(and(eq(messages.authorId, authorId), isLiveConversation(messages.conversationId)))
        .orderBy(asc(messages.createdAt), asc(messages.id))
        .all();
    },
  };
}
