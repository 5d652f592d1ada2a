/**
 * @module sqlite/projects
 * `ProjectRepository` on SQLite. The hot reads (`findForMember`, `listForMember`) live in
 * `project-reads.ts`, on raw prepared statements behind the read cache.
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
import { and, count, eq, gte, isNull } from 'drizzle-orm';
import { mapUniqueViolation } from './constraint-error.ts';
import type { SqliteDatabase } from './database.ts';
import type { ProjectReads } from './project-reads.ts';
import { conversations, messages, projectMembers, projects, usageRecords } from './schema.ts';
import { usageTotals } from './usage.ts';

export function createProjectRepository(db: SqliteDatabase, reads: ProjectReads): ProjectRepository {
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
      return reads.findForMember(projectId, userId);
    },

    async listForMember(userId: string, query: ProjectListQuery): Promise<Page<ProjectWithRole>> {
      return reads.listForMember(userId, query);
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

    // Sources and agents have no tables yet: they count 0. One deferred transaction, so the counts and the
    // usage totals come from the same snapshot.
    async stats(id, since): Promise<ProjectStatsRecord> {
      return db.transaction((tx) => {
        const live = and(eq(conversations.projectId, id), isNull(conversations.deletedAt));
        const conversationCount = tx.select({ n: count() }).from(conversations).where(live).get()?.n ?? 0;
        const messageCount =
          tx
            .select({ n: count() })
            .from(conversations)
            .innerJoin(messages, eq(messages.conversationId, conversations.id))
            .where(live)
            .get()?.n ?? 0;
        const usage = usageTotals(
          tx,
          id,
          since === undefined ? undefined : gte(usageRecords.createdAt, since),
        );
        return {
          conversations: conversationCount,
          messages: messageCount,
          sources: 0,
          agents: 0,
          inputTokens: usage.inputTokens,
          outputTokens: usage.outputTokens,
          costMicroUsd: usage.costMicroUsd,
        };
      });
    },
  };
}
