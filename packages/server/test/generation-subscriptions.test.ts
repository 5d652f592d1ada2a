/**
 * Regression: a non-streaming send once subscribed to its own events and never unsubscribed, so every send
 * left a handler on the bus (memory grew and every later publish on the conversation got slower).
 */
import { expect, test } from 'bun:test';
import { createBunPasswordHasher } from '@zekka/adapters/bun';
import { createMemoryCache, createMemoryEventBus } from '@zekka/adapters/memory';
import { createModelRegistry } from '@zekka/adapters/models';
import { createSqliteStore } from '@zekka/adapters/sqlite';
import { createZekka, type EventBus, silentLogger } from '@zekka/core';

function countingBus(): EventBus & { live: () => number } {
  const inner = createMemoryEventBus();
  let live = 0;
  return {
    publish: (event) => inner.publish(event),
    subscribe(topic, handler) {
      live++;
      const off = inner.subscribe(topic, handler);
      let done = false;
      return () => {
        if (!done) live--;
        done = true;
        off();
      };
    },
    close: () => inner.close(),
    live: () => live,
  };
}

test('sending and streaming leave no subscription behind once the answers are stored', async () => {
  const bus = countingBus();
  const zekka = createZekka({
    store: createSqliteStore({ path: ':memory:' }),
    cache: createMemoryCache(),
    bus,
    passwordHasher: createBunPasswordHasher(),
    models: createModelRegistry(),
    logger: silentLogger,
    config: { auth: { jwtSecret: 'a-secret-of-at-least-thirty-two-bytes!!' } },
  });
  const registered = await zekka.auth.register({
    email: 'subs@example.com',
    password: 'correct-Horse-battery-9',
    name: 'S',
  });
  if (!('accessToken' in registered)) throw new Error('expected tokens');
  const actor = await zekka.auth.authenticate(registered.accessToken);
  const project = await zekka.projects.create(actor, { name: 'P' });
  const conversation = await zekka.conversations.create(actor, { projectId: project.id });

  for (let i = 0; i < 10; i++) await zekka.messages.send(actor, conversation.id, { content: `hello ${i}` });
  expect(bus.live()).toBe(0);

  for (let i = 0; i < 5; i++) {
    const started = await zekka.messages.stream(actor, conversation.id, { content: `stream ${i}` });
    for await (const _ of started.events) {
      // read to the end
    }
    await started.done;
  }
  expect(bus.live()).toBe(0);
  await zekka.close();
});
