/**
 * @module postgres/projects
 * `ProjectRepository` on Postgres. The two reads behind every project request (`findForMember`,
 * `listForMember`) are named statements: one fixed SQL text each, so Postgres parses and plans them once
 * per connection.
 */

import type {
  Page,
  ProjectListQuery,
  ProjectPatch,
  ProjectRecord,
  ProjectRepository,
  ProjectStatsRecord,
  ProjectWithRole,
} from '@zekka/core';
import { and, count, desc, eq, getTableColumns, gte, isNull, sql } from 'drizzle-orm';
import { containsPattern } from '../sqlite/like-pattern.ts';
import { atomic, byteOrder, type PostgresDatabase } from './database.ts';
import { guard, guardRepository } from './errors.ts';
import { pageTotal } from './page-total.ts';
import { firstOrNull, insertedRow } from './rows.ts';
import { conversations, messages, projectMembers, projects, usageRecords } from './schema.ts';
import { usageTotals } from './usage.ts';

const withRole = { ...getTableColumns(projects), role: projectMembers.role };

function prepareReads(db: PostgresDatabase) {
  const one = db
    .select(withRole)
    .from(projects)
    .innerJoin(
      projectMembers,
      and(eq(projectMembers.projectId, projects.id), eq(projectMembers.userId, sql.placeholder('userId'))),
    )
    .where(and(eq(projects.id, sql.placeholder('projectId')), isNull(projects.deletedAt)))
    .prepare('zekka_project_for_member');

  // Optional filters are `(x IS NULL OR …)` so one statement serves every query shape; the `::text` casts
  // give Postgres the parameter type it cannot infer from `IS NULL`.
  const status = sql.placeholder('status');
  const pattern = sql.placeholder('pattern');
  const filter = and(
    eq(projectMembers.userId, sql.placeholder('userId')),
    isNull(projects.deletedAt),
    sql`(${status}::text IS NULL OR ${projects.status} = ${status}::text)`,
    sql`(${pattern}::text IS NULL OR ${projects.name} ILIKE ${pattern}::text ESCAPE '\\'
      OR ${projects.description} ILIKE ${pattern}::text ESCAPE '\\')`,
  );
  const page = db
    .select(withRole)
    .from(projectMembers)
    .innerJoin(projects, eq(projects.id, projectMembers.projectId))
    .where(filter)
    .orderBy(desc(projects.updatedAt), desc(byteOrder(projects.id)))
    .limit(sql.placeholder('limit'))
    .offset(sql.placeholder('offset'))
    .prepare('zekka_projects_for_member');
  const total = db
    .select({ n: count() })
    .from(projectMembers)
    .innerJoin(projects, eq(projects.id, projectMembers.projectId))
    .where(filter)
    .prepare('zekka_projects_for_member_count');
  return { one, page, total };
}

export function createProjectRepository(db: PostgresDatabase): ProjectRepository {
  const reads = prepareReads(db);

  return guardRepository<ProjectRepository>({
    async createWithOwner(project: ProjectRecord) {
      return guard(
        () =>
          atomic(db, async (tx) => {
            const row = insertedRow(await tx.insert(projects).values(project).returning());
            await tx.insert(projectMembers).values({
              projectId: project.id,
              userId: project.ownerId,
              role: 'owner',
              addedAt: project.createdAt,
            });
            return row;
          }),
        { conflict: 'This project already exists' },
      );
    },

    async findById(id) {
      return firstOrNull(await db.select().from(projects).where(eq(projects.id, id)));
    },

    async findForMember(projectId, userId) {
      return firstOrNull(await reads.one.execute({ projectId, userId }));
    },

    async listForMember(userId: string, query: ProjectListQuery): Promise<Page<ProjectWithRole>> {
      const filter = { userId, status: query.status ?? null, pattern: containsPattern(query.search) };
      const items = await reads.page.execute({ ...filter, limit: query.limit, offset: query.offset });
      const total = await pageTotal(query.offset, query.limit, items.length, async () => {
        const [row] = await reads.total.execute(filter);
        return row?.n ?? 0;
      });
      return { items, total };
    },

    async update(id: string, patch: ProjectPatch) {
      return firstOrNull(
        await db
          .update(projects)
          .set(patch)
          .where(and(eq(projects.id, id), isNull(projects.deletedAt)))
          .returning(),
      );
    },

    async softDelete(id, now) {
      const changed = await db
        .update(projects)
        .set({ deletedAt: now })
        .where(and(eq(projects.id, id), isNull(projects.deletedAt)))
        .returning({ id: projects.id });
      return changed.length > 0;
    },

    // Sources and agents have no tables yet: they count 0. The three reads run side by side on the pool
    // (stats are a dashboard figure, not a consistent snapshot).
    async stats(id, since): Promise<ProjectStatsRecord> {
      const live = and(eq(conversations.projectId, id), isNull(conversations.deletedAt));
      const [[conversationCount], [messageCount], usage] = await Promise.all([
        db.select({ n: count() }).from(conversations).where(live),
        db
          .select({ n: count() })
          .from(conversations)
          .innerJoin(messages, eq(messages.conversationId, conversations.id))
          .where(live),
        usageTotals(db, id, since === undefined ? undefined : gte(usageRecords.createdAt, since)),
      ]);
      return {
        conversations: conversationCount?.n ?? 0,
        messages: messageCount?.n ?? 0,
        sources: 0,
        agents: 0,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        costMicroUsd: usage.costMicroUsd,
      };
    },
  });
}
