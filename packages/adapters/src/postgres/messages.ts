/**
 * @module postgres/messages
 * `MessageRepository` on Postgres. Messages of a deleted conversation or project are invisible, like their
 * conversation — except to `complete`, which still stores a generation that finished after its conversation
 * was deleted: the tokens were spent, and the project's budget must count them.
 *
 * Search runs on `messages.search_vector`, a stored generated column (`to_tsvector('simple', content)`) with
 * a GIN index (`migrations/postgres/0002_message_search.sql`): Postgres recomputes it in every statement
 * that writes `content`, so the repository never writes the index itself. The user's words go through
 * `plainto_tsquery`, which has no operators, so no input is a syntax error.
 */

import type {
  MessageCompletion,
  MessageListQuery,
  MessageRecord,
  MessageRepository,
  MessageSearchQuery,
  MessageSearchRow,
  Page,
  UsageRecord,
} from '@zekka/core';
import { and, asc, count, desc, eq, gt, isNull, lt, or, type SQL, sql } from 'drizzle-orm';
import type pg from 'pg';
import { invalidCursor, messageCursor } from '../sqlite/message-cursor.ts';
import { isLiveConversation, liveConversationRow } from './conversations.ts';
import { byteOrder, type PostgresDatabase } from './database.ts';
import { guard, guardRepository } from './errors.ts';
import { createMessageWrites } from './message-writes.ts';
import { pageTotal } from './page-total.ts';
import { firstOrNull } from './rows.ts';
import { conversations, messages, projectMembers, projects } from './schema.ts';

/** The generated column of the migration; not in `schema.ts`, so never selected or inserted. */
const searchVector = sql`${messages}.search_vector`;

/**
 * A short excerpt (about 10–20 words) around the best match, matched words wrapped in `**`. Postgres puts
 * this expensive call after the sort and LIMIT, so it runs for the page's rows only.
 */
const headline = (query: SQL) =>
  sql<string>`ts_headline('simple', ${messages.content}, ${query}, 'StartSel=**, StopSel=**, MaxWords=20, MinWords=10')`;

type Executor = Pick<PostgresDatabase, 'select'>;

/**
 * The conversation's messages immediately before or after the cursor message, oldest first. Ids compare
 * byte by byte, as in every ORDER BY of this store.
 */
async function keysetPage(
  db: Executor,
  conversationId: string,
  anchor: { createdAt: number; id: string },
  direction: 'before' | 'after',
  limit: number,
): Promise<MessageRecord[]> {
  const id = byteOrder(messages.id);
  const sameTime = eq(messages.createdAt, anchor.createdAt);
  const side: SQL | undefined =
    direction === 'before'
      ? or(lt(messages.createdAt, anchor.createdAt), and(sameTime, lt(id, anchor.id)))
      : or(gt(messages.createdAt, anchor.createdAt), and(sameTime, gt(id, anchor.id)));
  const order = direction === 'before' ? desc : asc;
  const rows = await db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), side))
    .orderBy(order(messages.createdAt), order(id))
    .limit(limit);
  return direction === 'before' ? rows.reverse() : rows;
}

export function createMessageRepository(db: PostgresDatabase, pool: pg.Pool): MessageRepository {
  // The writes of every send, on named statements (see `message-writes.ts`).
  const writes = createMessageWrites(pool);
  const conversationId = sql.placeholder('conversationId');
  // The reads behind every message page, delete and model call are named statements.
  const byId = db
    .select()
    .from(messages)
    .where(and(eq(messages.id, sql.placeholder('id')), isLiveConversation(messages.conversationId)))
    .prepare('zekka_message_by_id');
  const liveConversation = db
    .select({ id: conversations.id })
    .from(conversations)
    .where(and(eq(conversations.id, conversationId), liveConversationRow))
    .prepare('zekka_message_conversation_live');
  const page = db
    .select()
    .from(messages)
    .where(eq(messages.conversationId, conversationId))
    .orderBy(asc(messages.createdAt), asc(byteOrder(messages.id)))
    .limit(sql.placeholder('limit'))
    .offset(sql.placeholder('offset'))
    .prepare('zekka_messages_page');
  const total = db
    .select({ n: count() })
    .from(messages)
    .where(eq(messages.conversationId, conversationId))
    .prepare('zekka_messages_count');
  const recent = db
    .select()
    .from(messages)
    .where(and(eq(messages.conversationId, conversationId), isLiveConversation(sql`${conversationId}::text`)))
    .orderBy(desc(messages.createdAt), desc(byteOrder(messages.id)))
    .limit(sql.placeholder('limit'))
    .prepare('zekka_messages_recent');
  const countAll = async (id: string) => (await total.execute({ conversationId: id }))[0]?.n ?? 0;

  const createMany = (list: readonly MessageRecord[]): Promise<MessageRecord[]> =>
    guard(() => writes.insert(list), {
      conflict: 'This message already exists',
      missingParent: 'No such conversation or author',
    });

  return guardRepository<MessageRepository>({
    create: async (message: MessageRecord) => (await createMany([message]))[0] as MessageRecord,
    createMany,

    async findById(id) {
      return firstOrNull(await byId.execute({ id }));
    },

    async list(id: string, query: MessageListQuery): Promise<Page<MessageRecord>> {
      const live = await liveConversation.execute({ conversationId: id });
      if (live.length === 0) return { items: [], total: 0 };
      if ('offset' in query) {
        const items = await page.execute({ conversationId: id, limit: query.limit, offset: query.offset });
        return { items, total: await pageTotal(query.offset, query.limit, items.length, () => countAll(id)) };
      }
      const cursor = messageCursor(query);
      const [anchor] = await db
        .select({ createdAt: messages.createdAt, id: messages.id })
        .from(messages)
        .where(and(eq(messages.id, cursor.id), eq(messages.conversationId, id)));
      if (anchor === undefined) throw invalidCursor(cursor);
      const items = await keysetPage(db, id, anchor, cursor.direction, query.limit);
      return { items, total: await countAll(id) };
    },

    async recent(id, limit) {
      return recent.execute({ conversationId: id, limit });
    },

    complete(id: string, completion: MessageCompletion, usage: UsageRecord | null) {
      return guard(() => writes.complete(id, completion, usage), {
        conflict: 'This usage record already exists',
      });
    },

    async delete(id) {
      const deleted = await db
        .delete(messages)
        .where(and(eq(messages.id, id), isLiveConversation(messages.conversationId)))
        .returning({ id: messages.id });
      return deleted.length > 0;
    },

    async search(userId: string, query: MessageSearchQuery): Promise<Page<MessageSearchRow>> {
      // A query without a word ('*') is empty: it matches nothing (Postgres says so in a NOTICE).
      const tsQuery = sql`plainto_tsquery('simple', ${query.q})`;
      const where = and(
        sql`${searchVector} @@ ${tsQuery}`,
        eq(projectMembers.userId, userId),
        isNull(conversations.deletedAt),
        isNull(projects.deletedAt),
        query.projectId === undefined ? undefined : eq(messages.projectId, query.projectId),
      );
      const items = await db
        .select({ message: messages, snippet: headline(tsQuery) })
        .from(messages)
        .innerJoin(conversations, eq(conversations.id, messages.conversationId))
        .innerJoin(projects, eq(projects.id, messages.projectId))
        .innerJoin(projectMembers, eq(projectMembers.projectId, messages.projectId))
        .where(where)
        .orderBy(
          sql`ts_rank(${searchVector}, ${tsQuery}) DESC`,
          desc(messages.createdAt),
          desc(byteOrder(messages.id)),
        )
        .limit(query.limit)
        .offset(query.offset);
      const totalMatches = await pageTotal(query.offset, query.limit, items.length, async () => {
        const [row] = await db
          .select({ n: count() })
          .from(messages)
          .innerJoin(conversations, eq(conversations.id, messages.conversationId))
          .innerJoin(projects, eq(projects.id, messages.projectId))
          .innerJoin(projectMembers, eq(projectMembers.projectId, messages.projectId))
          .where(where);
        return row?.n ?? 0;
      });
      return { items, total: totalMatches };
    },

    async listByAuthor(authorId) {
      return db
        .select()
        .from(messages)
        .where(and(eq(messages.authorId, authorId), isLiveConversation(messages.conversationId)))
        .orderBy(asc(messages.createdAt), asc(byteOrder(messages.id)));
    },
  });
}
