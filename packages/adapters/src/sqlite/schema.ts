/**
 * @module sqlite/schema
 * The SQLite tables behind the `Store`. Row types infer exactly the records in `@zekka/core` (checked by
 * `test/sqlite-schema.types.test.ts`), so repositories return rows without mapping. Times are integer epoch
 * milliseconds; SQL names are snake_case, TypeScript keys camelCase. `migrations/sqlite` is generated from
 * this file by drizzle-kit: change it here, then run `bun run db:generate`.
 */

import type { OneTimeTokenPurpose, ProjectRole, ProjectStatus, UserRole } from '@zekka/core';
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Epoch milliseconds; `mode: 'number'` so rows carry the same numbers the services pass in. */
const epochMs = (name: string) => integer(name, { mode: 'number' });

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    email: text('email').notNull(),
    name: text('name').notNull(),
    avatarUrl: text('avatar_url'),
    role: text('role').$type<UserRole>().notNull(),
    passwordHash: text('password_hash').notNull(),
    emailVerifiedAt: epochMs('email_verified_at'),
    disabledAt: epochMs('disabled_at'),
    failedLoginCount: integer('failed_login_count', { mode: 'number' }).notNull().default(0),
    lockedUntil: epochMs('locked_until'),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  // The service lower-cases e-mails before they get here, so a plain unique index is case-insensitive in
  // effect. The (created_at, id) index serves the admin user list's order.
  (t) => [uniqueIndex('users_email_unique').on(t.email), index('users_created_at_idx').on(t.createdAt, t.id)],
);

export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    userAgent: text('user_agent'),
    ip: text('ip'),
    createdAt: epochMs('created_at').notNull(),
    lastUsedAt: epochMs('last_used_at').notNull(),
    expiresAt: epochMs('expires_at').notNull(),
    revokedAt: epochMs('revoked_at'),
  },
  (t) => [index('sessions_user_id_idx').on(t.userId)],
);

export const refreshTokens = sqliteTable(
  'refresh_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    sessionId: text('session_id')
      .notNull()
      .references(() => sessions.id, { onDelete: 'cascade' }),
    createdAt: epochMs('created_at').notNull(),
    expiresAt: epochMs('expires_at').notNull(),
    rotatedAt: epochMs('rotated_at'),
  },
  (t) => [index('refresh_tokens_session_id_idx').on(t.sessionId)],
);

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    keyHash: text('key_hash').notNull(),
    prefix: text('prefix').notNull(),
    createdAt: epochMs('created_at').notNull(),
    expiresAt: epochMs('expires_at'),
    lastUsedAt: epochMs('last_used_at'),
    revokedAt: epochMs('revoked_at'),
  },
  (t) => [uniqueIndex('api_keys_key_hash_unique').on(t.keyHash), index('api_keys_user_id_idx').on(t.userId)],
);

export const oneTimeTokens = sqliteTable(
  'one_time_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose').$type<OneTimeTokenPurpose>().notNull(),
    createdAt: epochMs('created_at').notNull(),
    expiresAt: epochMs('expires_at').notNull(),
    usedAt: epochMs('used_at'),
  },
  (t) => [index('one_time_tokens_user_id_idx').on(t.userId, t.purpose)],
);

export const projects = sqliteTable(
  'projects',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    description: text('description'),
    status: text('status').$type<ProjectStatus>().notNull(),
    settings: text('settings', { mode: 'json' })
      .$type<Record<string, unknown>>()
      .notNull()
      .default(sql`'{}'`),
    // No cascade: deleting the user either hard-deletes the project (sole owner) or hands `owner_id` to a
    // remaining owner first (see `users.delete`), so a dangling owner is a bug the database should refuse.
    ownerId: text('owner_id')
      .notNull()
      .references(() => users.id),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
    deletedAt: epochMs('deleted_at'),
  },
  // owner_id is indexed because every user delete checks the foreign key against it.
  (t) => [
    index('projects_updated_at_idx').on(t.updatedAt, t.id),
    index('projects_owner_id_idx').on(t.ownerId),
  ],
);

export const projectMembers = sqliteTable(
  'project_members',
  {
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role').$type<ProjectRole>().notNull(),
    addedAt: epochMs('added_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'project_members_pk', columns: [t.projectId, t.userId] }),
    index('project_members_user_id_idx').on(t.userId),
  ],
);
