/**
 * The context a model is given is the conversation as stored, even though the messages service remembers
 * each conversation's history between sends instead of reading it again: a remembered history is used only
 * while the conversation is in the state it was remembered for, whoever changed it since.
 */
import { expect, test } from 'bun:test';
import { createBunPasswordHasher } from '@zekka/adapters/bun';
import { createMemoryCache, createMemoryEventBus } from '@zekka/adapters/memory';
import { createModelRegistry } from '@zekka/adapters/models';
import { createSqliteStore } from '@zekka/adapters/sqlite';
import {
  type Actor,
  type ChatTurn,
  createZekka,
  type ModelRegistry,
  type Store,
  silentLogger,
} from '@zekka/core';

/** A registry whose models report every request's turns to `seen`. */
function recording(registry: ModelRegistry, seen: ChatTurn[][]): ModelRegistry {
  return {
    list: () => registry.list(),
    get defaultModel() {
      return registry.defaultModel;
    },
    get priceTable() {
      return registry.priceTable;
    },
    countTokens: (text) => registry.countTokens(text),
    resolve(id) {
      const handle = registry.resolve(id);
      if (handle === null) return null;
      return {
        info: handle.info,
        stream(request) {
          seen.push(request.messages.map((turn) => ({ ...turn })));
          return handle.stream(request);
        },
      };
    },
  };
}

/** A store whose `messages.recent` calls are counted. */
function countingReads(store: Store): Store & { reads: () => number } {
  let reads = 0;
  const messages = Object.create(store.messages) as Store['messages'];
  messages.recent = (conversationId, limit) => {
    reads++;
    return store.messages.recent(conversationId, limit);
  };
  return Object.assign(Object.create(store) as Store, { messages, reads: () => reads });
}

function instance(store: Store, seen: ChatTurn[][]) {
  return createZekka({
    store,
    cache: createMemoryCache(),
    bus: createMemoryEventBus(),
    passwordHasher: createBunPasswordHasher(),
    models: recording(createModelRegistry(), seen),
    logger: silentLogger,
    config: { auth: { jwtSecret: 'a-secret-of-at-least-thirty-two-bytes!!' } },
  });
}

async function setUp() {
  const store = countingReads(createSqliteStore({ path: ':memory:' }));
  const seen: ChatTurn[][] = [];
  const zekka = instance(store, seen);
  const registered = await zekka.auth.register({
    email: 'history@example.com',
    password: 'correct-Horse-battery-9',
    name: 'H',
  });
  if (!('accessToken' in registered)) throw new Error('expected tokens');
  const actor: Actor = await zekka.auth.authenticate(registered.accessToken);
  const project = await zekka.projects.create(actor, { name: 'P' });
  const conversation = await zekka.conversations.create(actor, { projectId: project.id });
  return { store, seen, zekka, actor, conversationId: conversation.id };
}

/** The turns the stored conversation gives, oldest first, then `next`: what the model must be sent. */
async function storedTurns(store: Store, conversationId: string, next: string): Promise<ChatTurn[]> {
  const stored = await store.messages.list(conversationId, { limit: 200, offset: 0 });
  return [
    ...stored.items.map((message) => ({ role: message.role, content: message.content }) as ChatTurn),
    { role: 'user', content: next },
  ];
}

test('every send gives the model the stored conversation; only the first reads it', async () => {
  const { store, seen, zekka, actor, conversationId } = await setUp();
  for (let i = 0; i < 6; i++) {
    const expected = await storedTurns(store, conversationId, `question ${i}`);
    await zekka.messages.send(actor, conversationId, { content: `question ${i}` });
    expect(seen.at(-1)).toEqual(expected);
  }
  expect(seen).toHaveLength(6);
  expect(store.reads()).toBe(1);

  // Streaming moves the remembered history on in the same way.
  const expected = await storedTurns(store, conversationId, 'streamed');
  const started = await zekka.messages.stream(actor, conversationId, { content: 'streamed' });
  await started.done;
  expect(seen.at(-1)).toEqual(expected);
  const after = await storedTurns(store, conversationId, 'after the stream');
  await zekka.messages.send(actor, conversationId, { content: 'after the stream' });
  expect(seen.at(-1)).toEqual(after);
  expect(store.reads()).toBe(1);
  await zekka.close();
});

test('a deleted message leaves the context at once', async () => {
  const { store, seen, zekka, actor, conversationId } = await setUp();
  const first = await zekka.messages.send(actor, conversationId, { content: 'a secret I regret' });
  await zekka.messages.send(actor, conversationId, { content: 'something else' });
  await zekka.messages.delete(actor, first.userMessage.id);

  await zekka.messages.send(actor, conversationId, { content: 'what did I say?' });
  const contents = seen.at(-1)?.map((turn) => turn.content);
  expect(contents).not.toContain('a secret I regret');
  expect(contents).toContain('something else');
  expect(seen.at(-1)).toEqual(await storedTurnsBefore(store, conversationId, 'what did I say?'));
  await zekka.close();
});

test('messages written or deleted through another instance are in the next context', async () => {
  const { store, seen, zekka, actor, conversationId } = await setUp();
  const otherSeen: ChatTurn[][] = [];
  const other = instance(store, otherSeen);
  await zekka.messages.send(actor, conversationId, { content: 'here, first' });
  await zekka.messages.send(actor, conversationId, { content: 'here, second' });

  const there = await other.messages.send(actor, conversationId, { content: 'written elsewhere' });
  await zekka.messages.send(actor, conversationId, { content: 'back here' });
  expect(seen.at(-1)).toEqual(await storedTurnsBefore(store, conversationId, 'back here'));
  expect(seen.at(-1)?.map((turn) => turn.content)).toContain('written elsewhere');

  // A delete elsewhere changes the count, not the newest message: still seen.
  await other.messages.delete(actor, there.userMessage.id);
  await zekka.messages.send(actor, conversationId, { content: 'and now?' });
  expect(seen.at(-1)?.map((turn) => turn.content)).not.toContain('written elsewhere');
  expect(seen.at(-1)).toEqual(await storedTurnsBefore(store, conversationId, 'and now?'));
  await other.close();
  await zekka.close();
});

/** `storedTurns` as it was before the last send: without that send's question and answer. */
async function storedTurnsBefore(store: Store, conversationId: string, next: string): Promise<ChatTurn[]> {
  const turns = await storedTurns(store, conversationId, next);
  // The last two stored messages are the question `next` and its answer.
  return [...turns.slice(0, -3), { role: 'user', content: next }];
}
