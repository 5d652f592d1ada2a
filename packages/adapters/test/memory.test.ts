import { expect, test } from 'bun:test';
import { runCacheConformance } from '../src/conformance/cache-suite.ts';
import { runEventBusConformance } from '../src/conformance/event-bus-suite.ts';
import { createMemoryCache, createMemoryEventBus } from '../src/memory/index.ts';

runCacheConformance('memory', () => createMemoryCache());
runEventBusConformance('memory', () => createMemoryEventBus({ onHandlerError: () => {} }));

test('the sweep drops expired keys that are never read again', async () => {
  let now = 0;
  const cache = createMemoryCache({ now: () => now, sweepIntervalMs: 10 });
  await cache.set('a', '1', 5);
  now = 100;
  await Bun.sleep(30);
  now = 0;
  // Had the sweep not removed it, turning the clock back would revive the value.
  expect(await cache.get('a')).toBeNull();
  await cache.close();
});

test('a closed cache refuses writes', async () => {
  const cache = createMemoryCache();
  await cache.close();
  await expect(cache.set('k', 'v', 1000)).rejects.toThrow('closed');
  await expect(cache.ping()).rejects.toThrow();
});
