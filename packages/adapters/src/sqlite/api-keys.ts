/**
 * @module sqlite/api-keys
 * `ApiKeyRepository` on SQLite.
 */

import type { ApiKeyRecord, ApiKeyRepository } from '@zekka/core';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { mapUniqueViolation } from './constraint-error.ts';
import type { SqliteDatabase } from './database.ts';
import { apiKeys } from './schema.ts';

export function createApiKeyRepository(db: SqliteDatabase): ApiKeyRepository {
  // Every API-key request resolves its key by hash, so this read is prepared once.
  const byHash = db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, sql.placeholder('keyHash')))
    .prepare();

  return {
    async create(key: ApiKeyRecord) {
      return mapUniqueViolation('This API key already exists', () =>
        db.insert(apiKeys).values(key).returning().get(),
      );
    },

    async findByHash(keyHash) {
      return byHash.get({ keyHash }) ?? null;
    },

    async listByUser(userId) {
      return db
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
        .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
        .all();
    },

    async revoke(id, userId, now) {
      // drizzle types bun:sqlite's `run()` result as void, so RETURNING reports whether a row changed.
      const changed = db
        .update(apiKeys)
        .set({ revokedAt: now })
        .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
        .returning({ id: apiKeys.id })
        .all();
      return changed.length > 0;
    },

    async touch(id, now) {
      db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, id)).run();
    },
  };
}
