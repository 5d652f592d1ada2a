/**
 * The Redis event bus: the shared conformance suite on one instance (local delivery, with Redis's echo of
 * its own events skipped) and across two (published on A, delivered on B), then what only a distributed bus
 * has — ordering over the wire, channels subscribed only while needed. Skipped without a Redis `REDIS_URL`
 * (failing when `CI=true`); the outage behaviour is in redis-faults.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'bun:test';
import { type EventBus, silentLogger, type ZekkaEvent } from '@zekka/core';
import { runEventBusConformance } from '../src/conformance/event-bus-suite.ts';
import { redisTestTarget } from '../src/conformance/index.ts';
import { createRedisClient, createRedisEventBus, type RedisEventBus } from '../src/redis/index.ts';
import { recordingLogger } from './support/recording-logger.ts';

const target = redisTestTarget();

const updated = (id: string, field: string): ZekkaEvent => ({
  event: 'project:updated',
  topics: [`project:${id}`],
  data: { projectId: id, fields: [field] },
  ts: Date.now(),
});
const fieldOf = (event: ZekkaEvent) => (event.data as { fields: string[] }).fields[0] ?? '';

describe.skipIf(target === null)('redis event bus', () => {
  const { url, prefix } = target ?? { url: '', prefix: '' };
  const open = (options: { logger?: typeof silentLogger } = {}) =>
    createRedisEventBus({ url, channelPrefix: prefix, logger: options.logger ?? silentLogger });

  describe('one instance', () => {
    let bus: RedisEventBus | null = null;
    // `sync` waits for Redis's copy of each event to come back, so a copy delivered again would be seen.
    runEventBusConformance(
      'redis, one instance',
      () => {
        bus = open();
        return bus;
      },
      async () => {
        await bus?.sync();
      },
    );
  });

  describe('two instances', () => {
    let receiver: RedisEventBus | null = null;
    // Subscriptions on B, publishes on A: every delivery the suite checks crossed Redis.
    runEventBusConformance(
      'redis, published on A, delivered on B',
      (): EventBus => {
        const a = open();
        const b = open();
        receiver = b;
        return {
          async publish(event) {
            await b.sync();
            await a.publish(event);
          },
          subscribe: (topic, handler) => b.subscribe(topic, handler),
          async close() {
            await Promise.all([a.close(), b.close()]);
          },
        };
      },
      async () => {
        await receiver?.sync();
      },
    );
  });

  describe('across instances', () => {
    let raw: ReturnType<typeof createRedisClient>;
    beforeAll(() => {
      raw = createRedisClient(url, { redisOptions: { enableOfflineQueue: true } });
    });
    const buses: RedisEventBus[] = [];
    const pair = () => {
      const a = open();
      const b = open();
      buses.push(a, b);
      return [a, b] as const;
    };
    afterEach(async () => {
      await Promise.all(buses.splice(0).map((bus) => bus.close()));
    });
    afterAll(() => raw.quit());
    const subscribers = async (topic: string) => {
      const [, count] = (await raw.pubsub('NUMSUB', prefix + topic)) as [string, number];
      return Number(count);
    };

    test('an event published on A reaches subscribers on A and on B, each once', async () => {
      const [a, b] = pair();
      const id = crypto.randomUUID();
      const onA: string[] = [];
      const onB: string[] = [];
      a.subscribe(`project:${id}`, (e) => onA.push(fieldOf(e)));
      b.subscribe(`project:${id}`, (e) => onB.push(fieldOf(e)));
      await Promise.all([a.sync(), b.sync()]);
      await a.publish(updated(id, 'name'));
      await Promise.all([a.sync(), b.sync()]);
      expect(onA).toEqual(['name']);
      expect(onB).toEqual(['name']);
    });

    test('200 events per topic arrive on B in the order A published them, topics interleaved', async () => {
      const [a, b] = pair();
      const [x, y] = [crypto.randomUUID(), crypto.randomUUID()];
      const got: Record<string, string[]> = { x: [], y: [] };
      b.subscribe(`project:${x}`, (e) => got.x?.push(fieldOf(e)));
      b.subscribe(`project:${y}`, (e) => got.y?.push(fieldOf(e)));
      await b.sync();
      // Not awaited one by one: order must hold while many publishes are in flight.
      const publishes: Promise<void>[] = [];
      for (let i = 0; i < 200; i++) {
        publishes.push(a.publish(updated(x, String(i))), a.publish(updated(y, String(i))));
      }
      await Promise.all(publishes);
      await b.sync();
      const expected = Array.from({ length: 200 }, (_, i) => String(i));
      expect(got.x).toEqual(expected);
      expect(got.y).toEqual(expected);
    });

    test('a topic’s channel is subscribed while it has local subscribers, and released with the last', async () => {
      const [a, b] = pair();
      const id = crypto.randomUUID();
      const topic = `project:${id}`;
      let calls = 0;
      const first = b.subscribe(topic, () => calls++);
      const second = b.subscribe(topic, () => calls++);
      await b.sync();
      expect(await subscribers(topic)).toBe(1);

      first();
      await b.sync();
      expect(await subscribers(topic)).toBe(1);
      await a.publish(updated(id, 'one'));
      await b.sync();
      expect(calls).toBe(1);

      second();
      await b.sync();
      expect(await subscribers(topic)).toBe(0);
      await a.publish(updated(id, 'two'));
      await b.sync();
      expect(calls).toBe(1);

      // Subscribing again takes the channel again.
      b.subscribe(topic, () => calls++);
      await b.sync();
      await a.publish(updated(id, 'three'));
      await b.sync();
      expect(calls).toBe(2);
    });

    test('an event on several topics reaches B once per subscription, on its own topic only', async () => {
      const [a, b] = pair();
      const id = crypto.randomUUID();
      const user = `user:${crypto.randomUUID()}`;
      const got: string[] = [];
      b.subscribe(`project:${id}`, () => got.push('project'));
      b.subscribe(user, () => got.push('user'));
      await b.sync();
      await a.publish({ ...updated(id, 'x'), topics: [`project:${id}`, user, user] });
      await b.sync();
      expect(got.sort()).toEqual(['project', 'user']);
    });

    test('a message that is not an event is dropped with a warning; later events still arrive', async () => {
      const logger = recordingLogger();
      const b = open({ logger });
      buses.push(b);
      const id = crypto.randomUUID();
      const got: string[] = [];
      b.subscribe(`project:${id}`, (e) => got.push(fieldOf(e)));
      await b.sync();
      await raw.publish(`${prefix}project:${id}`, 'not json');
      await raw.publish(`${prefix}project:${id}`, JSON.stringify({ from: 'x', event: { nope: 1 } }));
      const [a] = pair();
      await a.publish(updated(id, 'after'));
      await b.sync();
      expect(got).toEqual(['after']);
      expect(logger.messages('warn')).toEqual([
        'redis event bus dropped a malformed message',
        'redis event bus dropped a malformed message',
      ]);
    });

    test('a throwing handler on B is logged and does not stop the others', async () => {
      const logger = recordingLogger();
      const a = open();
      const b = open({ logger });
      buses.push(a, b);
      const id = crypto.randomUUID();
      let delivered = 0;
      b.subscribe(`project:${id}`, () => {
        throw new Error('boom');
      });
      b.subscribe(`project:${id}`, () => delivered++);
      await b.sync();
      await a.publish(updated(id, 'x'));
      await a.publish(updated(id, 'y'));
      await b.sync();
      expect(delivered).toBe(2);
      expect(logger.messages('error')).toEqual(['event handler threw', 'event handler threw']);
    });
  });
});
