/**
 * @module postgres/members
 * `MemberRepository` on Postgres. A role change or removal first locks the project's owner memberships and
 * the member's own (`SELECT … FOR UPDATE`), then checks that another owner remains, then writes — all in
 * one transaction. Two concurrent demotions of two owners queue on the same locks, and the second one
 * re-reads the owners after the first committed, so they cannot both see "another owner remains".
 */

import {
  type MemberRecord,
  type MemberRepository,
  type MemberView,
  type ProjectRole,
  ZekkaError,
} from '@zekka/core';
import { and, asc, eq, isNull, or, sql } from 'drizzle-orm';
import { atomic, byteOrder, type PostgresDatabase, type PostgresTransaction } from './database.ts';
import { guard, guardRepository } from './errors.ts';
import { projectMembers, projects, users } from './schema.ts';

type Executor = Pick<PostgresDatabase, 'select'>;

const memberView = {
  projectId: projectMembers.projectId,
  userId: projectMembers.userId,
  role: projectMembers.role,
  addedAt: projectMembers.addedAt,
  name: users.name,
  email: users.email,
};

/** The member with the user's public fields, only while the project is live. */
async function findView(db: Executor, projectId: string, userId: string): Promise<MemberView | undefined> {
  const [row] = await db
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
    );
  return row;
}

/**
 * Locks the project's owner memberships and the member's own, in one statement and in user order, and
 * returns the member (`undefined` if not one, or the project is deleted) and whether an owner other than
 * the member remains. One ordered pass matters: every caller (and `users.delete`, which locks whole projects
 * in (project, user) order) takes these locks in the same order, so they queue instead of deadlocking —
 * locking the owners first and the member after would not be, since READ COMMITTED keeps the lock on a row
 * it skipped because a concurrent demotion made it no longer an owner. The owners that stay locked cannot
 * be demoted or removed until this transaction ends.
 */
async function lockForChange(tx: PostgresTransaction, projectId: string, userId: string) {
  const locked = await tx
    .select({ userId: projectMembers.userId, role: projectMembers.role })
    .from(projectMembers)
    .where(
      and(
        eq(projectMembers.projectId, projectId),
        or(eq(projectMembers.role, 'owner'), eq(projectMembers.userId, userId)),
      ),
    )
    .orderBy(asc(projectMembers.userId))
    .for('update');
  const otherOwner = locked.some((row) => row.role === 'owner' && row.userId !== userId);
  const current = locked.some((row) => row.userId === userId)
    ? await findView(tx, projectId, userId)
    : undefined;
  return { current, otherOwner };
}

export function createMemberRepository(db: PostgresDatabase): MemberRepository {
  return guardRepository<MemberRepository>({
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
          asc(byteOrder(projectMembers.userId)),
        );
    },

    async find(projectId, userId) {
      return (await findView(db, projectId, userId)) ?? null;
    },

    async add(member: MemberRecord) {
      return guard(
        () =>
          atomic(db, async (tx) => {
            await tx.insert(projectMembers).values(member);
            const view = await findView(tx, member.projectId, member.userId);
            // The insert just succeeded, so only a soft-deleted project hides the row; the port says such a
            // project is invisible, so the add is undone (the throw rolls back) and reported as not found.
            if (view === undefined) throw new ZekkaError('NOT_FOUND', 'Project not found');
            return view;
          }),
        {
          conflict: 'This user is already a member of the project',
          missingParent: 'No such project or user',
        },
      );
    },

    async changeRole(projectId: string, userId: string, role: ProjectRole) {
      return atomic(db, async (tx) => {
        const { current, otherOwner } = await lockForChange(tx, projectId, userId);
        if (current === undefined) return { outcome: 'not_found' } as const;
        if (current.role === role) return { outcome: 'ok', member: current } as const;
        if (current.role === 'owner' && !otherOwner) return { outcome: 'last_owner' } as const;
        await tx
          .update(projectMembers)
          .set({ role })
          .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)));
        return { outcome: 'ok', member: { ...current, role } } as const;
      });
    },

    async remove(projectId, userId) {
      return atomic(db, async (tx) => {
        const { current, otherOwner } = await lockForChange(tx, projectId, userId);
        if (current === undefined) return 'not_found';
        if (current.role === 'owner' && !otherOwner) return 'last_owner';
        await tx
          .delete(projectMembers)
          .where(and(eq(projectMembers.projectId, projectId), eq(projectMembers.userId, userId)));
        return 'ok';
      });
    },
  });
}
