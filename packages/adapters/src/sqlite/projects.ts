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
import { and, eq, isNull } from 'drizzle-orm';
import { mapUniqueViolation } from './constraint-error.ts';
import type { SqliteDatabase } from './database.ts';
import type { ProjectReads } from './project-reads.ts';
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

    // All zeros until conversations, messages, sources, agents and usage have tables: the conversations
    // issue replaces this with counts over them.
    async stats(_id) {
      return { ...ZERO_STATS };
    },
  };
}
