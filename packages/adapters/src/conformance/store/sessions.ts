/**
 * @module conformance/store/sessions
 * `SessionRepository` cases, refresh-token rotation and reuse detection included.
 */

import { describe, expect, test } from 'bun:test';
import {
  DAY,
  expectConflict,
  givenSession,
  givenUser,
  HOUR,
  MINUTE,
  makeNextToken,
  makeRefreshToken,
  makeSession,
  NOW,
  type StoreContext,
} from './fixtures.ts';

export function describeSessions(ctx: StoreContext): void {
  describe('sessions', () => {
    test('create stores the session with its refresh token; findById of an unknown id is null', async () => {
      const user = await givenUser(ctx.store);
      const session = makeSession(user.id, { userAgent: null, ip: null });
      const token = makeRefreshToken(session.id);
      expect(await ctx.store.sessions.create(session, token)).toEqual(session);
      expect(await ctx.store.sessions.findById(session.id)).toEqual(session);
      expect(await ctx.store.sessions.findByRefreshToken(token.tokenHash, NOW)).toEqual(session);
      expect(await ctx.store.sessions.findById(crypto.randomUUID())).toBeNull();
    });

    test('create is atomic: a taken refresh-token hash throws CONFLICT and leaves no session', async () => {
      const user = await givenUser(ctx.store);
      const { token } = await givenSession(ctx.store, user.id);
      const session = makeSession(user.id);
      await expectConflict(
        ctx.store.sessions.create(session, makeRefreshToken(session.id, { tokenHash: token.tokenHash })),
      );
      expect(await ctx.store.sessions.findById(session.id)).toBeNull();
    });

    test('listActive returns unrevoked, unexpired sessions of the user, newest lastUsedAt first', async () => {
      const user = await givenUser(ctx.store);
      const other = await givenUser(ctx.store);
      const older = await givenSession(ctx.store, user.id, { session: { lastUsedAt: NOW - 2 * HOUR } });
      const newer = await givenSession(ctx.store, user.id, { session: { lastUsedAt: NOW - MINUTE } });
      await givenSession(ctx.store, user.id, { session: { revokedAt: NOW - MINUTE } });
      await givenSession(ctx.store, user.id, { session: { expiresAt: NOW } });
      await givenSession(ctx.store, other.id);
      const active = await ctx.store.sessions.listActive(user.id, NOW);
      expect(active.map((s) => s.id)).toEqual([newer.session.id, older.session.id]);
    });

    test('touch sets lastUsedAt, and ip/userAgent only when given; unknown ids are a no-op', async () => {
      const user = await givenUser(ctx.store);
      const { session } = await givenSession(ctx.store, user.id);
      await ctx.store.sessions.touch(session.id, NOW);
      expect(await ctx.store.sessions.findById(session.id)).toEqual({ ...session, lastUsedAt: NOW });
      await ctx.store.sessions.touch(session.id, NOW + 1, { ip: '198.51.100.7', userAgent: 'curl/8' });
      expect(await ctx.store.sessions.findById(session.id)).toEqual({
        ...session,
        lastUsedAt: NOW + 1,
        ip: '198.51.100.7',
        userAgent: 'curl/8',
      });
      await ctx.store.sessions.touch(crypto.randomUUID(), NOW);
    });

    test('rotateRefreshToken rotates a current token and extends the session', async () => {
      const user = await givenUser(ctx.store);
      const { session, token } = await givenSession(ctx.store, user.id);
      const next = makeNextToken(NOW);
      const result = await ctx.store.sessions.rotateRefreshToken(token.tokenHash, next, NOW);
      const extended = { ...session, lastUsedAt: NOW, expiresAt: next.expiresAt };
      expect(result).toEqual({ outcome: 'rotated', session: extended });
      expect(await ctx.store.sessions.findById(session.id)).toEqual(extended);
      expect(await ctx.store.sessions.findByRefreshToken(token.tokenHash, NOW)).toBeNull();
      expect(await ctx.store.sessions.findByRefreshToken(next.tokenHash, NOW)).toEqual(extended);

      const third = makeNextToken(NOW + MINUTE);
      const again = await ctx.store.sessions.rotateRefreshToken(next.tokenHash, third, NOW + MINUTE);
      expect(again.outcome).toBe('rotated');
    });

    test('rotateRefreshToken reports reuse of a rotated token and revokes the whole session', async () => {
      const user = await givenUser(ctx.store);
      const { session, token } = await givenSession(ctx.store, user.id);
      const next = makeNextToken(NOW);
      await ctx.store.sessions.rotateRefreshToken(token.tokenHash, next, NOW);

      const reuse = await ctx.store.sessions.rotateRefreshToken(token.tokenHash, makeNextToken(), NOW + 1);
      expect(reuse).toEqual({ outcome: 'reused', sessionId: session.id });
      expect(await ctx.store.sessions.findById(session.id)).toMatchObject({ revokedAt: NOW + 1 });
      // The legitimate holder's newer token dies with the session.
      expect(await ctx.store.sessions.rotateRefreshToken(next.tokenHash, makeNextToken(), NOW + 2)).toEqual({
        outcome: 'invalid',
      });
      // Reuse again: still reported, the revocation time is kept.
      const twice = await ctx.store.sessions.rotateRefreshToken(token.tokenHash, makeNextToken(), NOW + 3);
      expect(twice).toEqual({ outcome: 'reused', sessionId: session.id });
      expect(await ctx.store.sessions.findById(session.id)).toMatchObject({ revokedAt: NOW + 1 });
    });

    test('rotateRefreshToken is invalid for unknown or expired tokens and revoked or expired sessions', async () => {
      const user = await givenUser(ctx.store);
      const { sessions } = ctx.store;
      expect(await sessions.rotateRefreshToken('0'.repeat(64), makeNextToken(), NOW)).toEqual({
        outcome: 'invalid',
      });

      const cases = [
        await givenSession(ctx.store, user.id, { token: { expiresAt: NOW } }),
        await givenSession(ctx.store, user.id, { session: { revokedAt: NOW - MINUTE } }),
        await givenSession(ctx.store, user.id, { session: { expiresAt: NOW - 1 } }),
      ];
      for (const { session, token } of cases) {
        const next = makeNextToken();
        expect(await sessions.rotateRefreshToken(token.tokenHash, next, NOW)).toEqual({ outcome: 'invalid' });
        // Nothing changed: the session is as stored and the offered next token was not kept.
        expect(await sessions.findById(session.id)).toEqual(session);
        expect(await sessions.findByRefreshToken(next.tokenHash, NOW)).toBeNull();
      }
      // The expired token was not marked rotated: before its expiry it is still current.
      const [expired] = cases;
      expect(await sessions.findByRefreshToken(expired?.token.tokenHash ?? '', NOW - 1)).not.toBeNull();
    });

    test('of 20 concurrent rotations of one token exactly one is rotated', async () => {
      const user = await givenUser(ctx.store);
      const { token } = await givenSession(ctx.store, user.id);
      const results = await Promise.all(
        Array.from({ length: 20 }, () =>
          ctx.store.sessions.rotateRefreshToken(token.tokenHash, makeNextToken(), NOW),
        ),
      );
      expect(results.filter((r) => r.outcome === 'rotated')).toHaveLength(1);
      expect(results.filter((r) => r.outcome === 'reused')).toHaveLength(19);
    });

    test('findByRefreshToken finds only unrotated, unexpired tokens', async () => {
      const user = await givenUser(ctx.store);
      const { session, token } = await givenSession(ctx.store, user.id, { token: { expiresAt: NOW + HOUR } });
      expect(await ctx.store.sessions.findByRefreshToken(token.tokenHash, NOW)).toEqual(session);
      expect(await ctx.store.sessions.findByRefreshToken(token.tokenHash, NOW + HOUR)).toBeNull();
      expect(await ctx.store.sessions.findByRefreshToken('f'.repeat(64), NOW)).toBeNull();
      await ctx.store.sessions.rotateRefreshToken(token.tokenHash, makeNextToken(), NOW);
      expect(await ctx.store.sessions.findByRefreshToken(token.tokenHash, NOW)).toBeNull();
    });

    test('revoke marks the session once; later and unknown revokes return false', async () => {
      const user = await givenUser(ctx.store);
      const { session } = await givenSession(ctx.store, user.id);
      expect(await ctx.store.sessions.revoke(session.id, NOW)).toBe(true);
      expect(await ctx.store.sessions.findById(session.id)).toEqual({ ...session, revokedAt: NOW });
      expect(await ctx.store.sessions.revoke(session.id, NOW + 1)).toBe(false);
      expect(await ctx.store.sessions.findById(session.id)).toMatchObject({ revokedAt: NOW });
      expect(await ctx.store.sessions.revoke(crypto.randomUUID(), NOW)).toBe(false);
    });

    test('revokeAllForUser revokes the active sessions except one and returns their ids', async () => {
      const user = await givenUser(ctx.store);
      const other = await givenUser(ctx.store);
      const keep = await givenSession(ctx.store, user.id);
      const a = await givenSession(ctx.store, user.id);
      const b = await givenSession(ctx.store, user.id);
      await givenSession(ctx.store, user.id, { session: { revokedAt: NOW - DAY } });
      const others = await givenSession(ctx.store, other.id);

      const revoked = await ctx.store.sessions.revokeAllForUser(user.id, NOW, keep.session.id);
      expect(revoked.toSorted()).toEqual([a.session.id, b.session.id].toSorted());
      expect((await ctx.store.sessions.listActive(user.id, NOW)).map((s) => s.id)).toEqual([keep.session.id]);
      expect(await ctx.store.sessions.findById(a.session.id)).toMatchObject({ revokedAt: NOW });
      expect(await ctx.store.sessions.findById(others.session.id)).toMatchObject({ revokedAt: null });

      expect(await ctx.store.sessions.revokeAllForUser(user.id, NOW + 1)).toEqual([keep.session.id]);
      expect(await ctx.store.sessions.listActive(user.id, NOW + 1)).toEqual([]);
    });
  });
}
