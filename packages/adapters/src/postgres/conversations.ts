/**
 * @module postgres/conversations
 * `ConversationRepository` on Postgres. A conversation is visible while it and its project are live. Views add
 * the member's role and the message stats, one row of `conversation_stats` (kept by triggers) rather than a
 * count over the conversation's messages, which grew with every message on every conversation request.
 * `findForMember`, behind every conversation and message request, is a named statement.
 */

import {
  type ConversationListQuery,
  type ConversationPatch,
  type ConversationRecord,
  type ConversationRepository,
  type ConversationView,
  type Page,
  type ProjectRole,
  ZekkaError,
} from '@zekka/core';
import {
  and,
  asc,
  count,
  desc,
  eq,
  getTableColumns,
  isNull,
  type SQL,
  type SQLWrapper,
  sql,
} from 'drizzle-orm';
import { containsPattern } from '../sqlite/like-pattern.ts';
import { atomic, byteOrder, type PostgresDatabase } from './database.ts';
import { guard, guardRepository } from './errors.ts';
import { pageTotal } from './page-total.ts';
import { firstOrNull, insertedRow } from './rows.ts';
import { conversationStats, conversations, projectMembers, projects } from './schema.ts';

/** Whether the conversation with id `conversationId` exists, is not deleted, and its project is live. */
export function isLiveConversation(conversationId: SQLWrapper | string): SQL {
  return sql`EXISTS (SELECT 1 FROM ${conversations} lc JOIN ${projects} lp ON lp.id = lc.project_id
    WHERE lc.id = ${conversationId} AND lc.deleted_at IS NULL AND lp.deleted_at IS NULL)`;
}

/** The row of `conversations` in the statement is live (for statements on that table). */
export const liveConversationRow = and(
  isNull(conversations.deletedAt),
  sql`EXISTS (SELECT 1 FROM ${projects} lp WHERE lp.id = ${conversations.projectId} AND lp.deleted_at IS NULL)`,
);

/** A conversation's stats, kept by triggers (see `conversationStats`); none before its first message. */
const stats = {
  messageCount: sql<number>`coalesce(${conversationStats.messageCount}, 0)`.mapWith(Number),
  lastMessageAt: conversationStats.lastMessageAt,
};
const statsOf = eq(conversationStats.conversationId, conversations.id);

/**
 * Share-locks the live project, or throws `NOT_FOUND`: what a write that adds to a project does first, in
 * its transaction. FOR SHARE holds off a concurrent soft delete of the project until the write commits
 * (or the write sees it deleted, if that delete committed first).
 */
export async function shareLiveProject(
  tx: Pick<PostgresDatabase, 'select'>,
  projectId: string,
): Promise<void> {
  const [project] = await tx
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.id, projectId), isNull(projects.deletedAt)))
    .for('share');
  if (project === undefined) throw new ZekkaError('NOT_FOUND', 'Project not found');
}

export function createConversationRepository(db: PostgresDatabase): ConversationRepository {
  // A null user is a system actor: no membership, owner. `::text` types the parameter for `IS NULL`.
  const userId = sql.placeholder('userId');
  const forMember = db
    .select({
      ...getTableColumns(conversations),
      role: sql<ProjectRole | null>`CASE WHEN ${userId}::text IS NULL THEN 'owner' ELSE (
        SELECT rm.role FROM ${projectMembers} rm
        WHERE rm.project_id = ${conversations.projectId} AND rm.user_id = ${userId}::text
      ) END`,
      ...stats,
      projectStatus: projects.status,
    })
    .from(conversations)
    .innerJoin(projects, eq(projects.id, conversations.projectId))
    .leftJoin(conversationStats, statsOf)
    .where(
      and(
        eq(conversations.id, sql.placeholder('id')),
        isNull(conversations.deletedAt),
        isNull(projects.deletedAt),
      ),
    )
    .prepare('zekka_conversation_for_member');

  return guardRepository<ConversationRepository>({
    async create(conversation: ConversationRecord) {
      return guard(
        () =>
          atomic(db, async (tx) => {
            await shareLiveProject(tx, conversation.projectId);
            return insertedRow(await tx.insert(conversations).values(conversation).returning());
          }),
        { conflict: 'This conversation already exists', missingParent: 'Project not found' },
      );
    },

    async findById(id) {
      return firstOrNull(await db.select().from(conversations).where(eq(conversations.id, id)));
    },

    async findForMember(conversationId, memberId) {
      const row = firstOrNull(await forMember.execute({ id: conversationId, userId: memberId }));
      if (row === null || row.role === null) return null;
      return { ...row, role: row.role };
    },

    async listForMember(memberId: string, query: ConversationListQuery): Promise<Page<ConversationView>> {
      const pattern = containsPattern(query.search);
      const where = and(
        eq(projectMembers.userId, memberId),
        isNull(conversations.deletedAt),
        isNull(projects.deletedAt),
        query.projectId === undefined ? undefined : eq(conversations.projectId, query.projectId),
        pattern === null ? undefined : sql`${conversations.title} ILIKE ${pattern} ESCAPE '\\'`,
      );
      const items = await db
        .select({ ...getTableColumns(conversations), role: projectMembers.role, ...stats })
        .from(projectMembers)
        .innerJoin(conversations, eq(conversations.projectId, projectMembers.projectId))
        .innerJoin(projects, eq(projects.id, conversations.projectId))
        .leftJoin(conversationStats, statsOf)
        .where(where)
        .orderBy(desc(conversations.updatedAt), desc(byteOrder(conversations.id)))
        .limit(query.limit)
        .offset(query.offset);
      const total = await pageTotal(query.offset, query.limit, items.length, async () => {
        const [row] = await db
          .select({ n: count() })
          .from(projectMembers)
          .innerJoin(conversations, eq(conversations.projectId, projectMembers.projectId))
          .innerJoin(projects, eq(projects.id, conversations.projectId))
          .where(where);
        return row?.n ?? 0;
      });
      return { items, total };
    },

    async listByCreator(creatorId) {
      return db
        .select()
        .from(conversations)
        .where(and(eq(conversations.createdBy, creatorId), liveConversationRow))
        .orderBy(asc(conversations.createdAt), asc(byteOrder(conversations.id)));
    },

    async update(id: string, patch: ConversationPatch) {
      return firstOrNull(
        await db
          .update(conversations)
          .set(patch)
          .where(and(eq(conversations.id, id), liveConversationRow))
          .returning(),
      );
    },

    async softDelete(id, now) {
      const changed = await db
        .update(conversations)
        .set({ deletedAt: now })
        .where(and(eq(conversations.id, id), liveConversationRow))
        .returning({ id: conversations.id });
      return changed.length > 0;
    },
  });
}
