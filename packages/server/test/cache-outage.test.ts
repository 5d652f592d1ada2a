/**
 * A cache that cannot take writes (Redis down) must not take authentication down with it: the store
 * answered, so the request is served; but revoking a session must not pretend to succeed.
 */
import { expect, test } from 'bun:test';
import { createBunPasswordHasher } from '@zekka/adapters/bun';
import { createMemoryCache, createMemoryEventBus } from '@zekka/adapters/memory';
import { createModelRegistry } from '@zekka/adapters/models';
import { createSqliteStore } from '@zekka/adapters/sqlite';
import { type Cache, createZekka, silentLogger, ZekkaError } from '@zekka/core';

function writeFailingCache(): Cache & { failing: boolean } {
  const inner = createMemoryCache();
  const unavailable = () => Promise.reject(new ZekkaError('UNAVAILABLE', 'The cache is unavailable'));
  const cache = {
    failing: false,
    get: (key: string) => (cache.failing ? Promise.resolve(null) : inner.get(key)),
    set: (key: string, value: string, ttl: number) =>
      cache.failing ? unavailable() : inner.set(key, value, ttl),
    delete: (key: string) => (cache.failing ? unavailable() : inner.delete(key)),
    increment: (key: string, ttl: number, by?: number) =>
      cache.failing ? unavailable() : inner.increment(key, ttl, by),
    getAndDelete: (key: string) => (cache.failing ? unavailable() : inner.getAndDelete(key)),
    ping: () => (cache.failing ? unavailable() : inner.ping()),
    close: () => inner.close(),
  };
  return cache;
}

test('with cache writes failing, tokens and API keys still authenticate; revocation reports the outage', async () => {
  const cache = writeFailingCache();
  const zekka = createZekka({
    store: createSqliteStore({ path: ':memory:' }),
    cache,
    bus: createMemoryEventBus(),
    passwordHasher: createBunPasswordHasher(),
    models: createModelRegistry(),
    logger: silentLogger,
    config: { auth: { jwtSecret: 'a-secret-of-at-least-thirty-two-bytes!!' } },
  });
  const registered = await zekka.auth.register({
    email: 'outage@example.com',
    password: 'correct-Horse-battery-9',
    name: 'Outage',
  });
  if (!('accessToken' in registered)) throw new Error('expected tokens');
  const actor = await zekka.auth.authenticate(registered.accessToken);
  const { key } = await zekka.auth.createApiKey(actor, { name: 'ci' });

  cache.failing = true;
  expect((await zekka.auth.authenticate(registered.accessToken)).userId).toBe(actor.userId);
  expect((await zekka.auth.authenticate(key)).userId).toBe(actor.userId);
  // The session is revoked in the store, but the marker other instances read could not be written.
  await expect(zekka.auth.logout(actor)).rejects.toMatchObject({ code: 'UNAVAILABLE' });

  cache.failing = false;
  // Retrying the logout once the cache is back completes it; the token is refused from then on.
  await zekka.auth.logout(actor);
  await expect(zekka.auth.authenticate(registered.accessToken)).rejects.toMatchObject({
    code: 'TOKEN_INVALID',
  });
  await zekka.close();
});
