/**
 * @module sqlite/sessions
 * `SessionRepository` on SQLite, with refresh-token rotation and reuse detection.
 */

import type { RefreshTokenRecord, SessionRecord, SessionRepository } from '@zekka/core';
import { and, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { mapUniqueViolation } from './constraint-error.ts';
import type { SqliteDatabase } from './database.ts';
import { refreshTokens, sessions } from './schema.ts';

type RotationResult = Awaited<ReturnType<SessionRepository['rotateRefreshToken']>>;

const INVALID: RotationResult = { outcome: 'invalid' };

export function createSessionRepository(db: SqliteDatabase): SessionRepository {
  // Every access-token request checks its session, so this read is prepared once.
  const byId = db
    .select()
    .from(sessions)
    .where(eq(sessions.id, sql.placeholder('id')))
    .prepare();

  return {
    async create(session: SessionRecord, refreshToken: RefreshTokenRecord) {
      return mapUniqueViolation('This session or refresh token already exists', () =>
        db.transaction(
          (tx) => {
            const row = tx.insert(sessions).values(session).returning().get();
            tx.insert(refreshTokens).values(refreshToken).run();
            return row;
          },
          { behavior: 'immediate' },
        ),
      );
    },

    async findById(id) {
      return byId.get({ id }) ?? null;
    },

    async listActive(userId, now) {
      return db
        .select()
        .from(sessions)
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
        .orderBy(desc(sessions.lastUsedAt), desc(sessions.id))
        .all();
    },

    async touch(id, now, client) {
      db.update(sessions)
        .set({ lastUsedAt: now, ip: client?.ip, userAgent: client?.userAgent })
        .where(eq(sessions.id, id))
        .run();
    },

    async rotateRefreshToken(tokenHash, next, now) {
      // IMMEDIATE takes the write lock before the read, so two connections cannot both see the token
      // unrotated; within one connection the synchronous body cannot interleave with another call.
      return mapUniqueViolation('The next refresh token already exists', () =>
        db.transaction(
          (tx): RotationResult => {
            const found = tx
              .select({ token: refreshTokens, session: sessions })
              .from(refreshTokens)
              .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
              .where(eq(refreshTokens.tokenHash, tokenHash))
              .get();
            if (found === undefined) return INVALID;
            const { token, session } = found;

            // Reuse is checked before expiry: a rotated token presented again is a theft signal even late.
            if (token.rotatedAt !== null) {
              tx.update(sessions)
                .set({ revokedAt: now })
                .where(and(eq(sessions.id, session.id), isNull(sessions.revokedAt)))
                .run();
              return { outcome: 'reused', sessionId: session.id };
            }
            if (token.expiresAt <= now || session.revokedAt !== null || session.expiresAt <= now) {
              return INVALID;
            }

            tx.update(refreshTokens)
              .set({ rotatedAt: now })
              .where(eq(refreshTokens.tokenHash, tokenHash))
              .run();
            tx.insert(refreshTokens)
              .values({ ...next, sessionId: session.id })
              .run();
            const rotated: SessionRecord = tx
              .update(sessions)
              .set({ lastUsedAt: now, expiresAt: next.expiresAt })
              .where(eq(sessions.id, session.id))
              .returning()
              .get();
            return { outcome: 'rotated', session: rotated };
          },
          { behavior: 'immediate' },
        ),
      );
    },

    async findByRefreshToken(tokenHash, now) {
      const row = db
        .select({ session: sessions })
        .from(refreshTokens)
        .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
        .where(
          and(
            eq(refreshTokens.tokenHash, tokenHash),
            isNull(refreshTokens.rotatedAt),
            gt(refreshTokens.expiresAt, now),
          ),
        )
        .get();
      return row?.session ?? null;
    },

    async revoke(id, now) {
      // drizzle types bun:sqlite's `run()` result as void, so RETURNING reports whether a row changed.
      const changed = db
        .update(sessions)
        .set({ revokedAt: now })
        .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)))
        .returning({ id: sessions.id })
        .all();
      return changed.length > 0;
    },

    async revokeAllForUser(userId, now, exceptId) {
      const rows = db
        .update(sessions)
        .set({ revokedAt: now })
        .where(
          and(
            eq(sessions.userId, userId),
            isNull(sessions.revokedAt),
            gt(sessions.expiresAt, now),
            exceptId === undefined ? undefined : ne(sessions.id, exceptId),
          ),
        )
        .returning({ id: sessions.id })
        .all();
      return rows.map((row) => row.id);
    },
  };
}
