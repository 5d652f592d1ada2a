/**
 * @module event-bus-suite
 * The `EventBus` conformance suite. `settle` waits until published events have had time to arrive (a
 * distributed bus needs a round trip; the memory bus needs nothing).
 */
import { afterEach, beforeEach, describe, expect, test } from 'bun:test';
import type { EventBus, ZekkaEvent } from '@zekka/core';

export function runEventBusConformance(
  name: string,
  factory: () => Promise<EventBus> | EventBus,
  settle: () => Promise<void> = async () => {},
): void {
  describe(`EventBus conformance: ${name}`, () => {
    let bus: EventBus;
    beforeEach(async () => {
      bus = await factory();
    });
    afterEach(async () => {
      await bus.close();
    });

    const projectId = () => crypto.randomUUID();
    const updated = (id: string, fields: string[], extraTopics: string[] = []): ZekkaEvent => ({
      event: 'project:updated',
      topics: [`project:${id}`, ...extraTopics],
      data: { projectId: id, fields },
      ts: Date.now(),
    });

    test('delivers to subscribers of the topic only', async () => {
      const a = projectId();
      const b = projectId();
      const got: string[] = [];
      bus.subscribe(`project:${a}`, (e) => got.push(`a:${e.event}`));
      bus.subscribe(`project:${b}`, (e) => got.push(`b:${e.event}`));
      await bus.publish(updated(a, ['name']));
      await settle();
      expect(got).toEqual(['a:project:updated']);
    });

    test('preserves order per topic', async () => {
      const id = projectId();
      const got: string[] = [];
      bus.subscribe(`project:${id}`, (e) => got.push((e.data as { fields: string[] }).fields[0] ?? ''));
      for (let i = 0; i < 20; i++) await bus.publish(updated(id, [String(i)]));
      await settle();
      expect(got).toEqual(Array.from({ length: 20 }, (_, i) => String(i)));
    });

    test('an event naming several topics reaches each subscription once', async () => {
      const id = projectId();
      const user = `user:${crypto.randomUUID()}`;
      let calls = 0;
      const handler = () => {
        calls++;
      };
      bus.subscribe(`project:${id}`, handler);
      bus.subscribe(user, handler);
      await bus.publish(updated(id, ['x'], [user]));
      await settle();
      expect(calls).toBe(2);
    });

    test('unsubscribe stops delivery', async () => {
      const id = projectId();
      let calls = 0;
      const off = bus.subscribe(`project:${id}`, () => {
        calls++;
      });
      await bus.publish(updated(id, ['x']));
      await settle();
      off();
      await bus.publish(updated(id, ['y']));
      await settle();
      expect(calls).toBe(1);
    });

    test('ending one of two subscriptions keeps the other; ending it again changes nothing', async () => {
      const id = projectId();
      let calls = 0;
      const handler = () => {
        calls++;
      };
      // The same function twice: two independent subscriptions to one topic.
      const first = bus.subscribe(`project:${id}`, handler);
      bus.subscribe(`project:${id}`, handler);
      first();
      first();
      await bus.publish(updated(id, ['x']));
      await settle();
      expect(calls).toBe(1);
    });

    test('a throwing handler does not stop the others', async () => {
      const id = projectId();
      let delivered = false;
      bus.subscribe(`project:${id}`, () => {
        throw new Error('boom');
      });
      bus.subscribe(`project:${id}`, () => {
        delivered = true;
      });
      await bus.publish(updated(id, ['x']));
      await settle();
      expect(delivered).toBe(true);
    });

    test('publishing with no subscribers resolves', async () => {
      await bus.publish(updated(projectId(), ['x']));
    });
  });
}
