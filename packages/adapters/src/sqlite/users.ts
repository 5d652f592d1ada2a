/**
 * @module sqlite/users
 * `UserRepository` on SQLite.
 */

import type { Page, UserListQuery, UserPatch, UserRecord, UserRepository } from '@zekka/core';
import { count, desc, eq, or, type SQL, sql } from 'drizzle-orm';
import { mapUniqueViolation } from './constraint-error.ts';
import type { SqliteDatabase } from './database.ts';
import { containsPattern } from './like-pattern.ts';
import { pageTotal } from './page-total.ts';
import { projectMembers, projects, users } from './schema.ts';

export function createUserRepository(db: SqliteDatabase): UserRepository {
  // Read on every authenticated request (API keys) and every login, so prepared once.
  const byId = db
    .select()
    .from(users)
    .where(eq(users.id, sql.placeholder('id')))
    .prepare();
  const byEmail = db
    .select()
    .from(users)
    .where(eq(users.email, sql.placeholder('email')))
    .prepare();

  return {
    async create(user) {
      return mapUniqueViolation('A user with this e-mail already exists', () =>
        db.insert(users).values(user).returning().get(),
      );
    },

    async findById(id) {
      return byId.get({ id }) ?? null;
    },

    async findByEmail(email) {
      return byEmail.get({ email }) ?? null;
    },

    async update(id: string, patch: UserPatch) {
      const row: UserRecord | undefined = db
        .update(users)
        .set(patch)
        .where(eq(users.id, id))
        .returning()
        .get();
      return row ?? null;
    },

    async list(query: UserListQuery): Promise<Page<UserRecord>> {
      const pattern = containsPattern(query.search);
      const where: SQL | undefined =
        pattern === null
          ? undefined
          : or(
              sql`${users.email} LIKE ${pattern} ESCAPE '\\'`,
              sql`${users.name} LIKE ${pattern} ESCAPE '\\'`,
            );
      // One deferred transaction so the page and its total come from the same snapshot.
      return db.transaction((tx) => {
        const items = tx
          .select()
          .from(users)
          .where(where)
          .orderBy(desc(users.createdAt), desc(users.id))
          .limit(query.limit)
          .offset(query.offset)
          .all();
        const total = pageTotal(
          query.offset,
          query.limit,
          items.length,
          () => tx.select({ n: count() }).from(users).where(where).get()?.n ?? 0,
        );
        return { items, total };
      });
    },

    // One UPDATE … RETURNING is atomic on its own (SQLite takes the write lock for the statement), so
    // concurrent failures each add one; no read-modify-write transaction is needed.
    async recordLoginFailure(id, now, maxFailures, lockMs) {
      const reachesLimit = sql`${users.failedLoginCount} + 1 >= ${maxFailures}`;
      const row: UserRecord | undefined = db
        .update(users)
        .set({
          failedLoginCount: sql`CASE WHEN ${reachesLimit} THEN 0 ELSE ${users.failedLoginCount} + 1 END`,
          lockedUntil: sql`CASE WHEN ${reachesLimit} THEN ${now + lockMs} ELSE ${users.lockedUntil} END`,
        })
        .where(eq(users.id, id))
        .returning()
        .get();
      return row ?? null;
    },

    async delete(id) {
      return db.transaction(
        (tx) => {
          const exists = tx.select({ id: users.id }).from(users).where(eq(users.id, id)).get();
          if (exists === undefined) return false;

          // Projects where this user is an owner and no one else is: they go with the user (their
          // memberships follow by cascade). Soft-deleted ones included, so nothing keeps a dangling owner.
          tx.delete(projects)
            .where(
              sql`${projects.id} IN (
                SELECT m.project_id FROM ${projectMembers} m
                WHERE m.user_id = ${id} AND m.role = 'owner'
                  AND NOT EXISTS (
                    SELECT 1 FROM ${projectMembers} o
                    WHERE o.project_id = m.project_id AND o.role = 'owner' AND o.user_id <> m.user_id
                  )
              )`,
            )
            .run();

          // Projects that survive keep a valid `ownerId`: the longest-standing remaining owner.
          tx.update(projects)
            .set({
              ownerId: sql`(
                SELECT o.user_id FROM ${projectMembers} o
                WHERE o.project_id = ${projects.id} AND o.role = 'owner' AND o.user_id <> ${id}
                ORDER BY o.added_at, o.user_id LIMIT 1
              )`,
            })
            .where(eq(projects.ownerId, id))
            .run();

          // Sessions (and their refresh tokens), API keys, one-time tokens and memberships cascade.
          tx.delete(users).where(eq(users.id, id)).run();
          return true;
        },
        { behavior: 'immediate' },
      );
    },
  };
}
