/**
 * @module postgres/sessions
 * `SessionRepository` on Postgres, with refresh-token rotation and reuse detection.
 */

import type { RefreshTokenRecord, SessionRecord, SessionRepository } from '@zekka/core';
import { and, desc, eq, gt, isNull, ne, sql } from 'drizzle-orm';
import { atomic, byteOrder, type PostgresDatabase } from './database.ts';
import { guard, guardRepository } from './errors.ts';
import { firstOrNull, insertedRow } from './rows.ts';
import { refreshTokens, sessions } from './schema.ts';

type RotationResult = Awaited<ReturnType<SessionRepository['rotateRefreshToken']>>;

const INVALID: RotationResult = { outcome: 'invalid' };

export function createSessionRepository(db: PostgresDatabase): SessionRepository {
  // Every access-token request checks its session, so this read is a named statement.
  const byId = db
    .select()
    .from(sessions)
    .where(eq(sessions.id, sql.placeholder('id')))
    .prepare('zekka_session_by_id');

  return guardRepository<SessionRepository>({
    async create(session: SessionRecord, refreshToken: RefreshTokenRecord) {
      return guard(
        () =>
          atomic(db, async (tx) => {
            const row = insertedRow(await tx.insert(sessions).values(session).returning());
            await tx.insert(refreshTokens).values(refreshToken);
            return row;
          }),
        { conflict: 'This session or refresh token already exists' },
      );
    },

    async findById(id) {
      return firstOrNull(await byId.execute({ id }));
    },

    async listActive(userId, now) {
      return db
        .select()
        .from(sessions)
        .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
        .orderBy(desc(sessions.lastUsedAt), desc(byteOrder(sessions.id)));
    },

    async touch(id, now, client) {
      await db
        .update(sessions)
        .set({ lastUsedAt: now, ip: client?.ip, userAgent: client?.userAgent })
        .where(eq(sessions.id, id));
    },

    async rotateRefreshToken(tokenHash, next, now) {
      return guard(
        () =>
          atomic(db, async (tx): Promise<RotationResult> => {
            // FOR UPDATE locks the token and its session. Concurrent rotations of one token queue on the
            // token's lock, and each next one reads it after the winner committed: already rotated, so
            // it is reuse. Exactly one caller ever sees it current.
            const [found] = await tx
              .select({ token: refreshTokens, session: sessions })
              .from(refreshTokens)
              .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
              .where(eq(refreshTokens.tokenHash, tokenHash))
              .for('update');
            if (found === undefined) return INVALID;
            const { token, session } = found;

            // Reuse is checked before expiry: a rotated token presented again is a theft signal even late.
            if (token.rotatedAt !== null) {
              await tx
                .update(sessions)
                .set({ revokedAt: now })
                .where(and(eq(sessions.id, session.id), isNull(sessions.revokedAt)));
              return { outcome: 'reused', sessionId: session.id };
            }
            if (token.expiresAt <= now || session.revokedAt !== null || session.expiresAt <= now) {
              return INVALID;
            }

            await tx
              .update(refreshTokens)
              .set({ rotatedAt: now })
              .where(eq(refreshTokens.tokenHash, tokenHash));
            await tx.insert(refreshTokens).values({ ...next, sessionId: session.id });
            const rotated = insertedRow(
              await tx
                .update(sessions)
                .set({ lastUsedAt: now, expiresAt: next.expiresAt })
                .where(eq(sessions.id, session.id))
                .returning(),
            );
            return { outcome: 'rotated', session: rotated };
          }),
        { conflict: 'The next refresh token already exists' },
      );
    },

    async findByRefreshToken(tokenHash, now) {
      const [row] = await db
        .select({ session: sessions })
        .from(refreshTokens)
        .innerJoin(sessions, eq(sessions.id, refreshTokens.sessionId))
        .where(
          and(
            eq(refreshTokens.tokenHash, tokenHash),
            isNull(refreshTokens.rotatedAt),
            gt(refreshTokens.expiresAt, now),
          ),
        );
      return row?.session ?? null;
    },

    async revoke(id, now) {
      const changed = await db
        .update(sessions)
        .set({ revokedAt: now })
        .where(and(eq(sessions.id, id), isNull(sessions.revokedAt)))
        .returning({ id: sessions.id });
      return changed.length > 0;
    },

    async revokeAllForUser(userId, now, exceptId) {
      const rows = await db
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
        .returning({ id: sessions.id });
      return rows.map((row) => row.id);
    },
  });
}
