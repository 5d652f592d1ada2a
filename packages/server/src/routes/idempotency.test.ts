import { describe, expect, test } from 'bun:test';
import { createMemoryCache } from '@zekka/adapters/memory';
import { ZekkaError } from '@zekka/core';
import { ElysiaCustomStatusResponse, status } from 'elysia';
import { withIdempotency } from './idempotency.ts';

function contextFor(key: string | null, body: unknown, userId = 'user-1') {
  const headers = new Headers(key === null ? {} : { 'idempotency-key': key });
  return {
    request: new Request('http://zekka.test/api/v1/projects', { method: 'POST', headers }),
    body,
    actor: { userId },
    set: { headers: {} as Record<string, string | number> },
  };
}

describe('withIdempotency', () => {
  test('concurrent requests with one key create once; the other waits and replays the answer', async () => {
    const cache = createMemoryCache();
    let created = 0;
    const create = async () => {
      created++;
      await Bun.sleep(120);
      return status(201, { id: created });
    };
    const second = contextFor('k', { name: 'A' });
    const [a, b] = await Promise.all([
      withIdempotency(cache, contextFor('k', { name: 'A' }), create),
      withIdempotency(cache, second, create),
    ]);
    expect(created).toBe(1);
    expect(a).toMatchObject({ code: 201, response: { id: 1 } });
    expect(b).toMatchObject({ code: 201, response: { id: 1 } });
    expect(second.set.headers['idempotency-replayed']).toBe('true');
    await cache.close();
  });

  test('a duplicate still waiting when the first runs past the wait gets 409', async () => {
    const cache = createMemoryCache();
    let created = 0;
    const first = withIdempotency(cache, contextFor('k', {}), async () => {
      created++;
      await Bun.sleep(400);
      return status(201, { id: 1 });
    });
    await Bun.sleep(10);
    const started = Date.now();
    await expect(
      withIdempotency(cache, contextFor('k', {}), async () => status(201, { id: 2 }), { waitMs: 150 }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(Date.now() - started).toBeLessThan(390);
    await first;
    expect(created).toBe(1);
    await cache.close();
  });

  test('a duplicate waiting on a first that fails runs itself', async () => {
    const cache = createMemoryCache();
    const first = withIdempotency(cache, contextFor('k', {}), async () => {
      await Bun.sleep(80);
      throw new ZekkaError('UNAVAILABLE', 'try again');
    });
    await Bun.sleep(10);
    const second = withIdempotency(cache, contextFor('k', {}), async () => status(201, { id: 2 }));
    await expect(first).rejects.toThrow('try again');
    expect(await second).toMatchObject({ code: 201, response: { id: 2 } });
    await cache.close();
  });

  test('a replay answers the first status and body and marks itself', async () => {
    const cache = createMemoryCache();
    await withIdempotency(cache, contextFor('k', { name: 'A' }), async () => status(201, { id: 1 }));
    const context = contextFor('k', { name: 'A' });
    const replayed = await withIdempotency(cache, context, async () => status(201, { id: 2 }));
    expect(replayed).toBeInstanceOf(ElysiaCustomStatusResponse);
    expect(replayed).toMatchObject({ code: 201, response: { id: 1 } });
    expect(context.set.headers['idempotency-replayed']).toBe('true');
    await cache.close();
  });

  test('a failure is not kept: a retry runs again', async () => {
    const cache = createMemoryCache();
    await expect(
      withIdempotency(cache, contextFor('k', {}), async () => {
        throw new ZekkaError('UNAVAILABLE', 'try again');
      }),
    ).rejects.toThrow('try again');
    expect(
      await withIdempotency(cache, contextFor('k', {}), async () => status(201, { ok: true })),
    ).toMatchObject({
      code: 201,
    });
    await cache.close();
  });

  test('without the header the handler simply runs', async () => {
    const cache = createMemoryCache();
    let runs = 0;
    for (let i = 0; i < 2; i++) await withIdempotency(cache, contextFor(null, {}), async () => ++runs);
    expect(runs).toBe(2);
    await cache.close();
  });
});
