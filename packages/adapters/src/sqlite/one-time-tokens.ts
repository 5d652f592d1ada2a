/**
 * @module sqlite/one-time-tokens
 * `OneTimeTokenRepository` on SQLite: e-mail verification and password reset links.
 */

import type { OneTimeTokenRecord, OneTimeTokenRepository } from '@zekka/core';
import { and, eq, gt, isNull } from 'drizzle-orm';
import { mapUniqueViolation } from './constraint-error.ts';
import type { SqliteDatabase } from './database.ts';
import { oneTimeTokens } from './schema.ts';

export function createOneTimeTokenRepository(db: SqliteDatabase): OneTimeTokenRepository {
  return {
    async create(token) {
      mapUniqueViolation('This token already exists', () => db.insert(oneTimeTokens).values(token).run());
    },

    // A single conditional UPDATE … RETURNING is atomic on its own: of concurrent calls, only the first
    // finds `used_at` still NULL, so exactly one gets the row back.
    async consume(tokenHash, purpose, now) {
      const row: OneTimeTokenRecord | undefined = db
        .update(oneTimeTokens)
        .set({ usedAt: now })
        .where(
          and(
            eq(oneTimeTokens.tokenHash, tokenHash),
            eq(oneTimeTokens.purpose, purpose),
            isNull(oneTimeTokens.usedAt),
            gt(oneTimeTokens.expiresAt, now),
          ),
        )
        .returning()
        .get();
      return row ?? null;
    },

    async deleteForUser(userId, purpose) {
      db.delete(oneTimeTokens)
        .where(
          and(
            eq(oneTimeTokens.userId, userId),
            eq(oneTimeTokens.purpose, purpose),
            isNull(oneTimeTokens.usedAt),
          ),
        )
        .run();
    },
  };
}
