/**
 * @module postgres/users
 * `UserRepository` on Postgres.
 */

import type { Page, UserListQuery, UserPatch, UserRecord, UserRepository } from '@zekka/core';
import { and, asc, count, desc, eq, inArray, or, type SQL, sql } from 'drizzle-orm';
import { containsPattern } from '../sqlite/like-pattern.ts';
import { atomic, byteOrder, type PostgresDatabase } from './database.ts';
import { guard, guardRepository, retryOnce } from './errors.ts';
import { pageTotal } from './page-total.ts';
import { firstOrNull, insertedRow } from './rows.ts';
import { projectMembers, projects, users } from './schema.ts';

export function createUserRepository(db: PostgresDatabase): UserRepository {
  // Read on every authenticated request (API keys) and every login: named statements are parsed and
  // planned once per connection.
  const byId = db
    .select()
    .from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .prepare('zekka_user_by_id');
  const byEmail = db
    .select()
    .from(users)
    .where(eq(users.email, sql.placeholder('email')))
    .prepare('zekka_user_by_email');

  return guardRepository<UserRepository>({
    async create(user) {
      return guard(async () => insertedRow(await db.insert(users).values(user).returning()), {
        conflict: 'A user with this e-mail already exists',
      });
    },

    async findById(id) {
      return firstOrNull(await byId.execute({ id }));
    },

    async findByEmail(email) {
      return firstOrNull(await byEmail.execute({ email }));
    },

    async update(id: string, patch: UserPatch) {
      return firstOrNull(await db.update(users).set(patch).where(eq(users.id, id)).returning());
    },

    async list(query: UserListQuery): Promise<Page<UserRecord>> {
      const pattern = containsPattern(query.search);
      const where: SQL | undefined =
        pattern === null
          ? undefined
          : or(
              sql`${users.email} ILIKE ${pattern} ESCAPE '\\'`,
              sql`${users.name} ILIKE ${pattern} ESCAPE '\\'`,
            );
      const items = await db
        .select()
        .from(users)
        .where(where)
        .orderBy(desc(users.createdAt), desc(byteOrder(users.id)))
        .limit(query.limit)
        .offset(query.offset);
      const total = await pageTotal(query.offset, query.limit, items.length, async () => {
        const [row] = await db.select({ n: count() }).from(users).where(where);
        return row?.n ?? 0;
      });
      return { items, total };
    },

    // One UPDATE … RETURNING is atomic on its own: a concurrent UPDATE of the same row waits for the row
    // lock and then re-evaluates its SET on the committed version, so every call adds one.
    async recordLoginFailure(id, now, maxFailures, lockMs) {
      const reachesLimit = sql`${users.failedLoginCount} + 1 >= ${maxFailures}`;
      return retryOnce(async () =>
        firstOrNull(
          await db
            .update(users)
            .set({
              failedLoginCount: sql`CASE WHEN ${reachesLimit} THEN 0 ELSE ${users.failedLoginCount} + 1 END`,
              lockedUntil: sql`CASE WHEN ${reachesLimit} THEN ${now + lockMs}::bigint ELSE ${users.lockedUntil} END`,
            })
            .where(eq(users.id, id))
            .returning(),
        ),
      );
    },

    async delete(id) {
      return atomic(db, async (tx) => {
        // The user's row lock orders this against inserts that reference the user (their foreign-key
        // check takes a share lock on it): a membership or session added concurrently either lands
        // before, and goes with the cascade, or fails its foreign key after.
        const [found] = await tx.select({ id: users.id }).from(users).where(eq(users.id, id)).for('update');
        if (found === undefined) return false;

        // Lock every membership of every project the user owns, in (project, user) order. Within a project
        // that is the order `members.changeRole`/`remove` lock in (and a superset of the rows they lock), so
        // the two queue instead of deadlocking, "no other owner" cannot change under us, and the cascade
        // below deletes only rows already locked here.
        const ownedProjects = tx
          .select({ projectId: projectMembers.projectId })
          .from(projectMembers)
          .where(and(eq(projectMembers.userId, id), eq(projectMembers.role, 'owner')));
        const memberships = await tx
          .select({
            projectId: projectMembers.projectId,
            userId: projectMembers.userId,
            role: projectMembers.role,
          })
          .from(projectMembers)
          .where(inArray(projectMembers.projectId, ownedProjects))
          .orderBy(asc(projectMembers.projectId), asc(projectMembers.userId))
          .for('update');

        // Projects where no one else is an owner go with the user (their memberships follow by cascade);
        // soft-deleted ones included, so nothing keeps a dangling owner.
        const owners = memberships.filter((row) => row.role === 'owner');
        const coOwned = new Set(owners.filter((row) => row.userId !== id).map((row) => row.projectId));
        const soleOwned = [...new Set(owners.map((row) => row.projectId))].filter((p) => !coOwned.has(p));
        if (soleOwned.length > 0) await tx.delete(projects).where(inArray(projects.id, soleOwned));

        // Projects that survive keep a valid `ownerId`: the longest-standing remaining owner.
        await tx
          .update(projects)
          .set({
            ownerId: sql`(
              SELECT o.user_id FROM ${projectMembers} o
              WHERE o.project_id = ${projects.id} AND o.role = 'owner' AND o.user_id <> ${id}
              ORDER BY o.added_at, o.user_id COLLATE "C" LIMIT 1
            )`,
          })
          .where(eq(projects.ownerId, id));

        // Sessions (and their refresh tokens), API keys, one-time tokens and memberships cascade.
        await tx.delete(users).where(eq(users.id, id));
        return true;
      });
    },
  });
}
