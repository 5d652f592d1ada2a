/**
 * @module conformance/store/one-time-tokens
 * `OneTimeTokenRepository` cases: single use, expiry, purpose, and replacement of earlier links.
 */

import { describe, expect, test } from 'bun:test';
import { expectConflict, givenUser, makeOneTimeToken, NOW, type StoreContext } from './fixtures.ts';

export function describeOneTimeTokens(ctx: StoreContext): void {
  describe('oneTimeTokens', () => {
    test('consume returns the token marked used, once', async () => {
      const user = await givenUser(ctx.store);
      const token = makeOneTimeToken(user.id, { purpose: 'password_reset' });
      await ctx.store.oneTimeTokens.create(token);
      expect(await ctx.store.oneTimeTokens.consume(token.tokenHash, 'password_reset', NOW)).toEqual({
        ...token,
        usedAt: NOW,
      });
      expect(await ctx.store.oneTimeTokens.consume(token.tokenHash, 'password_reset', NOW)).toBeNull();
    });

    test('consume refuses a wrong purpose, an expired or unknown token, and changes nothing then', async () => {
      const user = await givenUser(ctx.store);
      const token = makeOneTimeToken(user.id, { purpose: 'email_verification', expiresAt: NOW + 10 });
      await ctx.store.oneTimeTokens.create(token);
      expect(await ctx.store.oneTimeTokens.consume(token.tokenHash, 'password_reset', NOW)).toBeNull();
      expect(
        await ctx.store.oneTimeTokens.consume(token.tokenHash, 'email_verification', NOW + 10),
      ).toBeNull();
      expect(await ctx.store.oneTimeTokens.consume('0'.repeat(64), 'email_verification', NOW)).toBeNull();
      // Still usable with the right purpose before it expires.
      expect(
        await ctx.store.oneTimeTokens.consume(token.tokenHash, 'email_verification', NOW),
      ).not.toBeNull();
    });

    test('of concurrent consumes exactly one succeeds', async () => {
      const user = await givenUser(ctx.store);
      const token = makeOneTimeToken(user.id);
      await ctx.store.oneTimeTokens.create(token);
      const results = await Promise.all(
        Array.from({ length: 10 }, () =>
          ctx.store.oneTimeTokens.consume(token.tokenHash, token.purpose, NOW),
        ),
      );
      expect(results.filter((r) => r !== null)).toHaveLength(1);
    });

    test('create throws CONFLICT for a taken token hash', async () => {
      const user = await givenUser(ctx.store);
      const token = makeOneTimeToken(user.id);
      await ctx.store.oneTimeTokens.create(token);
      await expectConflict(
        ctx.store.oneTimeTokens.create(makeOneTimeToken(user.id, { tokenHash: token.tokenHash })),
      );
    });

    test('deleteForUser removes only that user’s unused tokens of that purpose', async () => {
      const user = await givenUser(ctx.store);
      const other = await givenUser(ctx.store);
      const verify = makeOneTimeToken(user.id, { purpose: 'email_verification' });
      const reset = makeOneTimeToken(user.id, { purpose: 'password_reset' });
      const othersVerify = makeOneTimeToken(other.id, { purpose: 'email_verification' });
      for (const token of [verify, reset, othersVerify]) await ctx.store.oneTimeTokens.create(token);

      await ctx.store.oneTimeTokens.deleteForUser(user.id, 'email_verification');
      expect(await ctx.store.oneTimeTokens.consume(verify.tokenHash, 'email_verification', NOW)).toBeNull();
      expect(await ctx.store.oneTimeTokens.consume(reset.tokenHash, 'password_reset', NOW)).not.toBeNull();
      expect(
        await ctx.store.oneTimeTokens.consume(othersVerify.tokenHash, 'email_verification', NOW),
      ).not.toBeNull();
    });
  });
}
