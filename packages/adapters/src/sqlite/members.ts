/**
 * @module sqlite/members
 * `MemberRepository` on SQLite. Role changes and removals check the owner count and write in one IMMEDIATE
 * transaction, so two concurrent demotions cannot both see "another owner remains".
 */

import {
  type MemberRecord,
  type MemberRepository,
  type MemberView,
  type ProjectRole,
  ZekkaError,
} from '@zekka/core';
import { and, asc, count, eq, isNull, ne, sql } from 'drizzle-orm';
import { mapUniqueViolation } from './constraint-error.ts';
import type { SqliteDatabase } from './database.ts';
import { projectMembers, projects, users } from './schema.ts';

type Executor = Pick<SqliteDatabase, 'select'>;

const memberView = {
  projectId: projectMembers.projectId,
  userId: projectMembers.userId,
  role: projectMembers.role,
  addedAt: projectMembers.addedAt,
  name: users.name,
  email: users.email,
};

/** The member with the user's public fields, only while the project is live. */
function findView(db: Executor, projectId: string, userId: string): MemberView | undefined {
  return db
    .select(memberView)
    .from(projectMembers)
    .innerJoin(users, eq(users.id, projectMembers.userId))
    .innerJoin(projects, eq(projects.id, projectMembers.projectId))
    .where(
      and(
        eq(projectMembers.projectId, projectId),
        eq(projectMembers.userId, userId),
        isNull(projects.deletedAt),
      ),
    )
    .get();
}

/** Whether an owner other than `userId` remains in the project. */
function hasOtherOwner(db: Executor, projectId: string, userId: string): boolean {
  const row = db
    .select({ n: count() })
    .from(projectMembers)
    .where(
      and(
        eq(projectMembers.projectId, projectId),
        eq(projectMembers.role, 'owner'),
        ne(projectMembers.userId, userId),
      ),
    )
    .get();
  return (row?.n ?? 0) > 0;
}

export function createMemberRepository(db: SqliteDatabase): MemberRepository {
  return {
    async list(projectId) {
      return db
        .select(memberView)
        .from(projectMembers)
        .innerJoin(users, eq(users.id, projectMembers.userId))
        .innerJoin(projects, eq(projects.id, projectMembers.projectId))
        .where(and(eq(projectMembers.projectId, projectId), isNull(projects.deletedAt)))
        .orderBy(
          sql`CASE WHEN ${projectMembers.role} = 'owner' THEN 0 ELSE 1 END`,
          asc(projectMembers.addedAt),
          asc(projectMembers.userId),
        )
        .all();
    },

    async find(projectId, userId) {
      return findView(db, projectId, userId) ?? null;
    },

    async add(member: MemberRecord) {
      return mapUniqueViolation(
        'This user is already a member of the project',
        () =>
          db.transaction((tx) => {
            tx.insert(projectMembers).values(member).run();
            const view = findView(tx, member.projectId, member.userId);
            // The insert just succeeded, so only a soft-deleted project hides the row; the port says such a
            // project is invisible, so the add is undone (the throw rolls back) and reported as not found.
            if (view === undefined) throw new ZekkaError('NOT_FOUND', 'Project not found');
            return view;
          }),
        'No such project or user',
      );
    },

    async changeRole(projectId: string, userId: string, role: ProjectRole) {
      return db.transaction(
        (tx) => {
          const current = findView(tx, projectId, userId);
          if (current === undefined) return { outcome: 'not_found' } as const;
          if (current.role === role) return { outcome: 'ok', member: current } as const;
          if (current.role === 'owner' && !hasOtherOwner(tx, projectId, userId)) {
            return { outcome: 'last_owner' } as const;
          }
          tx.update(projectMembers)
            .set({ role })
            .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)))
            .run();
          return { outcome: 'ok', member: { ...current, role } } as const;
        },
        { behavior: 'immediate' },
      );
    },

    async remove(projectId, userId) {
      return db.transaction(
        (tx) => {
          const current = findView(tx, projectId, userId);
          if (current === undefined) return 'not_found';
          if (current.role === 'owner' && !hasOtherOwner(tx, projectId, userId)) return 'last_owner';
          tx.delete(projectMembers)
            .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)))
            .run();
          return 'ok';
        },
        { behavior: 'immediate' },
      );
    },
  };
}
