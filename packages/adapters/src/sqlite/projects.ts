/**
 * @module sqlite/projects
 * `ProjectRepository` on SQLite. `findForMember` and `listForMember` are on every project request, so they
 * are prepared once and walk the membership primary key / user index.
 */

import type {
  Page,
  ProjectListQuery,
  ProjectPatch,
  ProjectRecord,
  ProjectRepository,
  ProjectRole,
  ProjectStatsRecord,
  ProjectWithRole,
} from '@zekka/core';
import { and, count, desc, eq, getTableColumns, isNull, sql } from 'drizzle-orm';
import { mapUniqueViolation } from './constraint-error.ts';
import type { SqliteDatabase } from './database.ts';
import { containsPattern } from './like-pattern.ts';
import { pageTotal } from './page-total.ts';
import { projectMembers, projects } from './schema.ts';

const ZERO_STATS: ProjectStatsRecord = {
  conversations: 0,
  messages: 0,
  sources: 0,
  agents: 0,
  inputTokens: 0,
  outputTokens: 0,
  costMicroUsd: 0,
};

export function createProjectRepository(db: SqliteDatabase): ProjectRepository {
  // The role comes from a correlated subquery on the membership primary key, not a join: with bound
  // parameters, SQLite (3.54 in Bun 1.4) ran the two-table join several times slower per call (~6.6 µs vs
  // ~0.8 µs, apparently re-planning it on each binding), and this is the read behind every project request.
  // A `null` role means "not a member".
  const forMember = db
    .select({
      ...getTableColumns(projects),
      role: sql<ProjectRole | null>`(SELECT ${projectMembers.role} FROM ${projectMembers}
        WHERE ${projectMembers.projectId} = ${projects.id} AND ${projectMembers.userId} = ${sql.placeholder('userId')})`,
    })
    .from(projects)
    .where(and(eq(projects.id, sql.placeholder('projectId')), isNull(projects.deletedAt)))
    .prepare();

  // Optional filters are `(? IS NULL OR …)` so one prepared statement serves every query shape.
  const memberFilter = and(
    eq(projectMembers.userId, sql.placeholder('userId')),
    isNull(projects.deletedAt),
    sql`(${sql.placeholder('status')} IS NULL OR ${projects.status} = ${sql.placeholder('status')})`,
    sql`(${sql.placeholder('pattern')} IS NULL
      OR ${projects.name} LIKE ${sql.placeholder('pattern')} ESCAPE '\\'
      OR ${projects.description} LIKE ${sql.placeholder('pattern')} ESCAPE '\\')`,
  );
  // Page and count are separate statements: a `count(*) OVER ()` window looked tidier but materialises and
  // sorts every matching row with all its columns, and measured slower than the two queries together.
  const pageForMember = db
    .select({ ...getTableColumns(projects), role: projectMembers.role })
    .from(projectMembers)
    .innerJoin(projects, eq(projects.id, projectMembers.projectId))
    .where(memberFilter)
    .orderBy(desc(projects.updatedAt), desc(projects.id))
    .limit(sql.placeholder('limit'))
    .offset(sql.placeholder('offset'))
    .prepare();
  const countForMember = db
    .select({ n: count() })
    .from(projectMembers)
    .innerJoin(projects, eq(projects.id, projectMembers.projectId))
    .where(memberFilter)
    .prepare();

  return {
    async createWithOwner(project: ProjectRecord) {
      return mapUniqueViolation('This project already exists', () =>
        db.transaction(
          (tx) => {
            const row = tx.insert(projects).values(project).returning().get();
            tx.insert(projectMembers)
              .values({
                projectId: project.id,
                userId: project.ownerId,
                role: 'owner',
                addedAt: project.createdAt,
              })
              .run();
            return row;
          },
          { behavior: 'immediate' },
        ),
      );
    },

    async findById(id) {
      return db.select().from(projects).where(eq(projects.id, id)).get() ?? null;
    },

    async findForMember(projectId, userId) {
      const row = forMember.get({ projectId, userId });
      if (row === undefined) return null;
      const { role, ...project } = row;
      return role === null ? null : { ...project, role };
    },

    async listForMember(userId: string, query: ProjectListQuery): Promise<Page<ProjectWithRole>> {
      const params = {
        userId,
        status: query.status ?? null,
        pattern: containsPattern(query.search),
        limit: query.limit,
        offset: query.offset,
      };
      // A deferred read transaction, so page and total come from one snapshot even with other writers.
      return db.transaction(() => {
        const items = pageForMember.all(params);
        const total = pageTotal(
          query.offset,
          query.limit,
          items.length,
          () => countForMember.get(params)?.n ?? 0,
        );
        return { items, total };
      });
    },

    async update(id: string, patch: ProjectPatch) {
      const row: ProjectRecord | undefined = db
        .update(projects)
        .set(patch)
        .where(and(eq(projects.id, id), isNull(projects.deletedAt)))
        .returning()
        .get();
      return row ?? null;
    },

    async softDelete(id, now) {
      // drizzle types bun:sqlite's `run()` result as void, so RETURNING reports whether a row changed.
      const changed = db
        .update(projects)
        .set({ deletedAt: now })
        .where(and(eq(projects.id, id), isNull(projects.deletedAt)))
        .returning({ id: projects.id })
        .all();
      return changed.length > 0;
    },

    // All zeros until conversations, messages, sources, agents and usage have tables: the conversations
    // issue replaces this with counts over them.
    async stats(_id) {
      return { ...ZERO_STATS };
    },
  };
}
