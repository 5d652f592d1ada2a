/**
 * @module sqlite/conversations
 * `ConversationRepository` on SQLite. A conversation is visible while it and its project are live. Views add
 * the member's role and the message stats, one row of `conversation_stats` (kept by triggers) rather than a
 * count over the conversation's messages, which grew with every message on every conversation request.
 */

import {
  type ConversationListQuery,
  type ConversationPatch,
  type ConversationRecord,
  type ConversationRepository,
  type ConversationView,
  type Page,
  type ProjectRole,
  type ProjectStatus,
  ZekkaError,
} from '@zekka/core';
import {
  and,
  asc,
  Column,
  count,
  desc,
  eq,
  getTableColumns,
  getTableName,
  is,
  isNull,
  type SQL,
  type SQLWrapper,
  sql,
} from 'drizzle-orm';
import { mapUniqueViolation } from './constraint-error.ts';
import type { SqliteDatabase } from './database.ts';
import { containsPattern } from './like-pattern.ts';
import { pageTotal } from './page-total.ts';
import { conversationStats, conversations, projectMembers, projects } from './schema.ts';

/**
 * Whether the conversation with id `conversationId` exists, is not deleted, and its project is live.
 *
 * Written as scalar subqueries, never as a join or `EXISTS` (which the planner turns into one): the
 * SQLite in `bun:sqlite` recompiles a statement that joins tables on every run with new parameters, which
 * cost ~10 µs a run here against ~1 µs for the same lookups as subqueries (see docs/adapters.md). The
 * hot statements of this adapter follow that rule.
 */
export function isLiveConversation(conversationId: Column | SQLWrapper | string): SQL {
  return sql`(SELECT lc.deleted_at IS NULL AND (SELECT lp.deleted_at IS NULL FROM ${projects} lp WHERE lp.id = lc.project_id)
    FROM ${conversations} lc WHERE lc.id = ${outer(conversationId)})`;
}

/** Whether the project with id `projectId` is live (a scalar subquery, see `isLiveConversation`). */
export const isLiveProject = (projectId: Column | SQLWrapper): SQL =>
  sql`(SELECT lp.deleted_at IS NULL FROM ${projects} lp WHERE lp.id = ${outer(projectId)})`;

/**
 * Throws `NOT_FOUND` unless the project is live: what a write that adds to a project checks first, in its
 * transaction.
 */
export function requireLiveProject(db: Pick<SqliteDatabase, 'select'>, projectId: string): void {
  const project = db
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.id, projectId), isNull(projects.deletedAt)))
    .get();
  if (project === undefined) throw new ZekkaError('NOT_FOUND', 'Project not found');
}

/**
 * A column of the outer statement, as a subquery must name it: with its table. drizzle writes a column
 * bare in a statement on one table, and inside a subquery a bare name means the subquery's own column
 * when it has one of that name (`project_id` of `project_members`, say), silently.
 */
function outer<T>(value: Column | T): SQL | T {
  return is(value, Column)
    ? sql`${sql.identifier(getTableName(value.table))}.${sql.identifier(value.name)}`
    : value;
}

/** The row of `conversations` in the statement is live (for statements on that table). */
export const liveConversationRow = and(
  isNull(conversations.deletedAt),
  isLiveProject(conversations.projectId),
);

/** A conversation's stats, kept by triggers (see `conversationStats`); none before its first message. */
const stats = {
  messageCount: sql<number>`coalesce(${conversationStats.messageCount}, 0)`,
  lastMessageAt: conversationStats.lastMessageAt,
};
const statsOf = eq(conversationStats.conversationId, conversations.id);

export function createConversationRepository(db: SqliteDatabase): ConversationRepository {
  // Read by every conversation and message request. A null user is a system actor: no membership, owner.
  const userId = sql.placeholder('userId');
  const forMember = db
    .select({
      ...getTableColumns(conversations),
      role: sql<ProjectRole | null>`CASE WHEN ${userId} IS NULL THEN 'owner' ELSE (
        SELECT rm.role FROM ${projectMembers} rm
        WHERE rm.project_id = ${outer(conversations.projectId)} AND rm.user_id = ${userId}
      ) END`,
      // Subqueries, not a join: see `isLiveConversation`.
      messageCount: sql<number>`coalesce((SELECT cs.message_count FROM ${conversationStats} cs
        WHERE cs.conversation_id = ${outer(conversations.id)}), 0)`,
      lastMessageAt: sql<number | null>`(SELECT cs.last_message_at FROM ${conversationStats} cs
        WHERE cs.conversation_id = ${outer(conversations.id)})`,
      projectStatus: sql<ProjectStatus>`(SELECT ps.status FROM ${projects} ps
        WHERE ps.id = ${outer(conversations.projectId)})`,
    })
    .from(conversations)
    .where(and(eq(conversations.id, sql.placeholder('id')), liveConversationRow))
    .prepare();

  return {
    async create(conversation: ConversationRecord) {
      return mapUniqueViolation(
        'This conversation already exists',
        () =>
          db.transaction(
            (tx) => {
              requireLiveProject(tx, conversation.projectId);
              return tx.insert(conversations).values(conversation).returning().get();
            },
            { behavior: 'immediate' },
          ),
        'Project not found',
      );
    },

    async findById(id) {
      return db.select().from(conversations).where(eq(conversations.id, id)).get() ?? null;
    },

    async findForMember(conversationId, memberId) {
      const row = forMember.get({ id: conversationId, userId: memberId });
      if (row === undefined || row.role === null) return null;
      return { ...row, role: row.role };
    },

    async listForMember(memberId: string, query: ConversationListQuery): Promise<Page<ConversationView>> {
      const pattern = containsPattern(query.search);
      const where = and(
        eq(projectMembers.userId, memberId),
        isNull(conversations.deletedAt),
        isNull(projects.deletedAt),
        query.projectId === undefined ? undefined : eq(conversations.projectId, query.projectId),
        pattern === null ? undefined : sql`${conversations.title} LIKE ${pattern} ESCAPE '\\'`,
      );
      // One deferred transaction so the page and its total come from the same snapshot.
      return db.transaction((tx) => {
        const items = tx
          .select({ ...getTableColumns(conversations), role: projectMembers.role, ...stats })
          .from(projectMembers)
          .innerJoin(conversations, eq(conversations.projectId, projectMembers.projectId))
          .innerJoin(projects, eq(projects.id, conversations.projectId))
          .leftJoin(conversationStats, statsOf)
          .where(where)
          .orderBy(desc(conversations.updatedAt), desc(conversations.id))
          .limit(query.limit)
          .offset(query.offset)
          .all();
        const total = pageTotal(query.offset, query.limit, items.length, () => {
          const row = tx
            .select({ n: count() })
            .from(projectMembers)
            .innerJoin(conversations, eq(conversations.projectId, projectMembers.projectId))
            .innerJoin(projects, eq(projects.id, conversations.projectId))
            .where(where)
            .get();
          return row?.n ?? 0;
        });
        return { items, total };
      });
    },

    async listByCreator(creatorId) {
      return db
        .select()
        .from(conversations)
        .where(and(eq(conversations.createdBy, creatorId), liveConversationRow))
        .orderBy(asc(conversations.createdAt), asc(conversations.id))
        .all();
    },

    async update(id: string, patch: ConversationPatch) {
      const row: ConversationRecord | undefined = db
        .update(conversations)
        .set(patch)
        .where(and(eq(conversations.id, id), liveConversationRow))
        .returning()
        .get();
      return row ?? null;
    },

    async softDelete(id, now) {
      const changed = db
        .update(conversations)
        .set({ deletedAt: now })
        .where(and(eq(conversations.id, id), liveConversationRow))
        .returning({ id: conversations.id })
        .all();
      return changed.length > 0;
    },
  };
}
