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
import { invalidCursor, messageCursor } from '../sqlite/message-cursor.ts';
import { isLiveConversation, liveConversationRow } from './conversations.ts';
import { atomic, byteOrder, type PostgresDatabase, type PostgresTransaction } from './database.ts';
import { guard, guardRepository } from './errors.ts';
import { pageTotal } from './page-total.ts';
import { firstOrNull, insertedRow } from './rows.ts';
import { conversations, messages, projectMembers, projects, usageRecords, users } from './schema.ts';

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
 * Takes the key-share locks a write's foreign-key checks would take — on the user, then the project — before
 * the write locks the conversation or the message. `users.delete` locks in that order too (the user, then
 * the projects it deletes, whose cascade locks their conversations and messages), so the two queue instead
 * of deadlocking: left to the foreign-key checks, the user and project locks would come last.
 */
async function lockParents(
  tx: PostgresTransaction,
  parents: readonly { userId: string | null; projectId: string }[],
): Promise<void> {
  // Each parent once (a question and its answer share them), users before projects.
  const userIds = new Set(parents.flatMap(({ userId }) => (userId === null ? [] : [userId])));
  for (const userId of userIds) {
    await tx.select({ id: users.id }).from(users).where(eq(users.id, userId)).for('key share');
  }
  for (const projectId of new Set(parents.map((parent) => parent.projectId))) {
    await tx.select({ id: projects.id }).from(projects).where(eq(projects.id, projectId)).for('key share');
  }
}

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

export function createMessageRepository(db: PostgresDatabase): MessageRepository {
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

  const createMany = async (list: readonly MessageRecord[]): Promise<MessageRecord[]> => {
    return guard(
      () =>
        atomic(db, async (tx) => {
          await lockParents(
            tx,
            list.map((message) => ({ userId: message.authorId, projectId: message.projectId })),
          );
          const created: MessageRecord[] = [];
          for (const message of list) {
            // Bumping the conversation first finds it live (and in the message's project) and locks it, so
            // a concurrent soft delete of the conversation waits for this message or is seen by it.
            const [touched] = await tx
              .update(conversations)
              .set({ updatedAt: message.createdAt })
              .where(
                and(
                  eq(conversations.id, message.conversationId),
                  eq(conversations.projectId, message.projectId),
                  liveConversationRow,
                ),
              )
              .returning({ id: conversations.id });
            if (touched === undefined) throw new ZekkaError('NOT_FOUND', 'Conversation not found');
            created.push(insertedRow(await tx.insert(messages).values(message).returning()));
          }
          return created;
        }),
      { conflict: 'This message already exists', missingParent: 'No such conversation or author' },
    );
  };

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

    async complete(id: string, completion: MessageCompletion, usage: UsageRecord | null) {
      return guard(
        () =>
          atomic(db, async (tx) => {
            if (usage !== null) await lockParents(tx, [usage]);
            // The UPDATE locks the message: a concurrent delete either ran first (no row, nothing written)
            // or waits until the completion and its usage are committed together.
            const row = firstOrNull(
              await tx.update(messages).set(completion).where(eq(messages.id, id)).returning(),
            );
            if (row === null) return null;
            if (usage !== null) {
              // An account deleted while its answer was generated: the usage stays, without a user, as the
              // foreign key's SET NULL would have left it.
              const userId =
                usage.userId === null ? null : sql`(SELECT id FROM ${users} WHERE id = ${usage.userId})`;
              await tx.insert(usageRecords).values({ ...usage, userId });
            }
            return row;
          }),
        { conflict: 'This usage record already exists' },
      );
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
