/**
 * @module sqlite/schema
 * The SQLite tables behind the `Store`. Row types infer exactly the records in `@zekka/core` (checked by
 * `test/sqlite-schema.types.test.ts`), so repositories return rows without mapping. Times are integer epoch
 * milliseconds; SQL names are snake_case, TypeScript keys camelCase. `migrations/sqlite` is generated from
 * this file by drizzle-kit: change it here, then run `bun run db:generate`.
 *
 * Full-text search over `messages` is not declared here: drizzle-kit cannot express FTS5. It lives in the
 * hand-written migrations `0002_message_search.sql` (an external-content FTS5 table) and `0003` (written by
 * `message-writes.ts` on insert and completion, by a trigger on delete).
 * A later migration that rebuilds `messages` (drizzle-kit's copy-and-rename for some ALTERs) drops the
 * delete trigger and renumbers rowids: it must re-create that trigger and `'rebuild'` the index.
 */

import type {
  MessageRole,
  MessageStatus,
  OneTimeTokenPurpose,
  ProjectRole,
  ProjectStatus,
  UsageOutcome,
  UserRole,
} from '@zekka/core';
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

export const conversations = sqliteTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    title: text('title'),
    model: text('model'),
    agentId: text('agent_id'),
    systemPrompt: text('system_prompt'),
    archived: integer('archived', { mode: 'boolean' }).notNull(),
    // No foreign key: a conversation outlives its creator's account and keeps the id as a plain record.
    createdBy: text('created_by').notNull(),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
    deletedAt: epochMs('deleted_at'),
  },
  // (project_id, updated_at) serves the conversation lists; created_by the account export.
  (t) => [
    index('conversations_project_updated_at_idx').on(t.projectId, t.updatedAt),
    index('conversations_created_by_idx').on(t.createdBy),
  ],
);

/**
 * A conversation's message count and newest message time, which every conversation view shows. Kept by
 * triggers on `messages` (migration 0004) in the statement that inserts or deletes the message, so a view
 * reads one row instead of counting the conversation's messages. No row until the first message.
 */
export const conversationStats = sqliteTable('conversation_stats', {
  conversationId: text('conversation_id')
    .primaryKey()
    .references(() => conversations.id, { onDelete: 'cascade' }),
  messageCount: integer('message_count', { mode: 'number' }).notNull(),
  lastMessageAt: epochMs('last_message_at'),
});

export const messages = sqliteTable(
  'messages',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id')
      .notNull()
      .references(() => conversations.id, { onDelete: 'cascade' }),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    role: text('role').$type<MessageRole>().notNull(),
    content: text('content').notNull(),
    status: text('status').$type<MessageStatus>().notNull(),
    model: text('model'),
    // A deleted account's messages stay in the conversations it wrote in, without an author.
    authorId: text('author_id').references(() => users.id, { onDelete: 'set null' }),
    attachments: text('attachments', { mode: 'json' }).$type<string[]>().notNull(),
    inputTokens: integer('input_tokens', { mode: 'number' }),
    outputTokens: integer('output_tokens', { mode: 'number' }),
    costMicroUsd: integer('cost_micro_usd', { mode: 'number' }),
    createdAt: epochMs('created_at').notNull(),
    updatedAt: epochMs('updated_at').notNull(),
  },
  // (conversation_id, created_at, id) is the order of every message page and keyset cursor. author_id and
  // project_id are indexed because deleting a user or a project checks their foreign keys.
  (t) => [
    index('messages_conversation_created_at_idx').on(t.conversationId, t.createdAt, t.id),
    index('messages_author_id_idx').on(t.authorId),
    index('messages_project_id_idx').on(t.projectId),
  ],
);

export const usageRecords = sqliteTable(
  'usage_records',
  {
    id: text('id').primaryKey(),
    // SET NULL, not CASCADE: usage is the project's spending record and outlives the account that caused it.
    userId: text('user_id').references(() => users.id, { onDelete: 'set null' }),
    projectId: text('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    // SET NULL, not CASCADE: conversations are only soft-deleted today, but were one ever hard-deleted on
    // its own, its spending must stay in the project's budget and totals. (A project's hard delete still
    // takes its usage with it, through project_id.)
    conversationId: text('conversation_id').references(() => conversations.id, { onDelete: 'set null' }),
    agentId: text('agent_id'),
    messageId: text('message_id').references(() => messages.id, { onDelete: 'set null' }),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    inputTokens: integer('input_tokens', { mode: 'number' }).notNull(),
    cacheReadTokens: integer('cache_read_tokens', { mode: 'number' }).notNull(),
    cacheWriteTokens: integer('cache_write_tokens', { mode: 'number' }).notNull(),
    outputTokens: integer('output_tokens', { mode: 'number' }).notNull(),
    reasoningTokens: integer('reasoning_tokens', { mode: 'number' }).notNull(),
    costMicroUsd: integer('cost_micro_usd', { mode: 'number' }),
    priceVersion: text('price_version'),
    latencyMs: integer('latency_ms', { mode: 'number' }).notNull(),
    outcome: text('outcome').$type<UsageOutcome>().notNull(),
    createdAt: epochMs('created_at').notNull(),
  },
  // (project_id, created_at) serves spending windows and totals; the others serve foreign-key checks when a
  // user, conversation or message is deleted, and the account export.
  (t) => [
    index('usage_records_project_created_at_idx').on(t.projectId, t.createdAt),
    index('usage_records_user_id_idx').on(t.userId),
    index('usage_records_conversation_id_idx').on(t.conversationId),
    index('usage_records_message_id_idx').on(t.messageId),
  ],
);

export const projectBudgets = sqliteTable('project_budgets', {
  projectId: text('project_id')
    .primaryKey()
    .references(() => projects.id, { onDelete: 'cascade' }),
  dailyMicroUsd: integer('daily_micro_usd', { mode: 'number' }),
  monthlyMicroUsd: integer('monthly_micro_usd', { mode: 'number' }),
  fallbackModel: text('fallback_model'),
  updatedAt: epochMs('updated_at').notNull(),
});
