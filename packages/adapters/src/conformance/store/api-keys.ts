/**
 * @module conformance/store/api-keys
 * `ApiKeyRepository` cases.
 */

import { describe, expect, test } from 'bun:test';
import { expectConflict, givenUser, HOUR, makeApiKey, NOW, type StoreContext } from './fixtures.ts';

export function describeApiKeys(ctx: StoreContext): void {
  describe('apiKeys', () => {
    test('create returns the key and findByHash reads it back; unknown hashes are null', async () => {
      const user = await givenUser(ctx.store);
      const key = makeApiKey(user.id, { expiresAt: NOW + HOUR });
      expect(await ctx.store.apiKeys.create(key)).toEqual(key);
      expect(await ctx.store.apiKeys.findByHash(key.keyHash)).toEqual(key);
      expect(await ctx.store.apiKeys.findByHash('0'.repeat(64))).toBeNull();
    });

    test('create throws CONFLICT for a taken key hash', async () => {
      const user = await givenUser(ctx.store);
      const key = await ctx.store.apiKeys.create(makeApiKey(user.id));
      await expectConflict(ctx.store.apiKeys.create(makeApiKey(user.id, { keyHash: key.keyHash })));
    });

    test('listByUser returns the user’s unrevoked keys, expired ones included, newest first', async () => {
      const user = await givenUser(ctx.store);
      const other = await givenUser(ctx.store);
      const old = await ctx.store.apiKeys.create(makeApiKey(user.id, { createdAt: NOW - 3 * HOUR }));
      const expired = await ctx.store.apiKeys.create(
        makeApiKey(user.id, { createdAt: NOW - 2 * HOUR, expiresAt: NOW - HOUR }),
      );
      const fresh = await ctx.store.apiKeys.create(makeApiKey(user.id, { createdAt: NOW - HOUR }));
      await ctx.store.apiKeys.create(makeApiKey(user.id, { createdAt: NOW, revokedAt: NOW }));
      await ctx.store.apiKeys.create(makeApiKey(other.id, { createdAt: NOW }));
      const keys = await ctx.store.apiKeys.listByUser(user.id);
      expect(keys.map((k) => k.id)).toEqual([fresh.id, expired.id, old.id]);
      expect(keys[0]).toEqual(fresh);
    });

    test('revoke works only for the owner and only once', async () => {
      const owner = await givenUser(ctx.store);
      const stranger = await givenUser(ctx.store);
      const key = await ctx.store.apiKeys.create(makeApiKey(owner.id));
      expect(await ctx.store.apiKeys.revoke(key.id, stranger.id, NOW)).toBe(false);
      expect(await ctx.store.apiKeys.findByHash(key.keyHash)).toMatchObject({ revokedAt: null });

      expect(await ctx.store.apiKeys.revoke(key.id, owner.id, NOW)).toBe(true);
      expect(await ctx.store.apiKeys.findByHash(key.keyHash)).toMatchObject({ revokedAt: NOW });
      expect(await ctx.store.apiKeys.listByUser(owner.id)).toEqual([]);
      expect(await ctx.store.apiKeys.revoke(key.id, owner.id, NOW + 1)).toBe(false);
      expect(await ctx.store.apiKeys.revoke(crypto.randomUUID(), owner.id, NOW)).toBe(false);
    });

    test('touch records the last use; unknown ids are a no-op', async () => {
      const user = await givenUser(ctx.store);
      const key = await ctx.store.apiKeys.create(makeApiKey(user.id));
      await ctx.store.apiKeys.touch(key.id, NOW);
      expect(await ctx.store.apiKeys.findByHash(key.keyHash)).toEqual({ ...key, lastUsedAt: NOW });
      await ctx.store.apiKeys.touch(crypto.randomUUID(), NOW);
    });
  });
}
