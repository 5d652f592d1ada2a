/**
 * @module postgres/api-keys
 * `ApiKeyRepository` on Postgres.
 */

import type { ApiKeyRecord, ApiKeyRepository } from '@zekka/core';
import { and, desc, eq, isNull, sql } from 'drizzle-orm';
import { byteOrder, type PostgresDatabase } from './database.ts';
import { guard, guardRepository } from './errors.ts';
import { firstOrNull, insertedRow } from './rows.ts';
import { apiKeys } from './schema.ts';

export function createApiKeyRepository(db: PostgresDatabase): ApiKeyRepository {
  // Every API-key request resolves its key by hash, so this read is a named statement.
  const byHash = db
    .select()
    .from(apiKeys)
    .where(eq(apiKeys.keyHash, sql.placeholder('keyHash')))
    .prepare('zekka_api_key_by_hash');

  return guardRepository<ApiKeyRepository>({
    async create(key: ApiKeyRecord) {
      return guard(async () => insertedRow(await db.insert(apiKeys).values(key).returning()), {
        conflict: 'This API key already exists',
      });
    },

    async findByHash(keyHash) {
      return firstOrNull(await byHash.execute({ keyHash }));
    },

    async listByUser(userId) {
      return db
        .select()
        .from(apiKeys)
        .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
        .orderBy(desc(apiKeys.createdAt), desc(byteOrder(apiKeys.id)));
    },

    async revoke(id, userId, now) {
      const changed = await db
        .update(apiKeys)
        .set({ revokedAt: now })
        .where(and(eq(apiKeys.id, id), eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
        .returning({ id: apiKeys.id });
      return changed.length > 0;
    },

    async touch(id, now) {
      await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, id));
    },
  });
}
