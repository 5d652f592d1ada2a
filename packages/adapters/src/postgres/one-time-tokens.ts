/**
 * @module postgres/one-time-tokens
 * `OneTimeTokenRepository` on Postgres: e-mail verification and password reset links.
 */

import type { OneTimeTokenRepository } from '@zekka/core';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { PostgresDatabase } from './database.ts';
import { guard, guardRepository, retryOnce } from './errors.ts';
import { firstOrNull } from './rows.ts';
import { oneTimeTokens } from './schema.ts';

export function createOneTimeTokenRepository(db: PostgresDatabase): OneTimeTokenRepository {
  return guardRepository<OneTimeTokenRepository>({
    async create(token) {
      await guard(async () => db.insert(oneTimeTokens).values(token), {
        conflict: 'This token already exists',
      });
    },

    // A single conditional UPDATE … RETURNING is atomic on its own: concurrent calls queue on the row lock,
    // and each later one re-checks `used_at IS NULL` on the committed row, so exactly one gets it back.
    async consume(tokenHash, purpose, now) {
      return retryOnce(async () =>
        firstOrNull(
          await db
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
            .returning(),
        ),
      );
    },

    async deleteForUser(userId, purpose) {
      await db
        .delete(oneTimeTokens)
        .where(
          and(
            eq(oneTimeTokens.userId, userId),
            eq(oneTimeTokens.purpose, purpose),
            isNull(oneTimeTokens.usedAt),
          ),
        );
    },
  });
}
