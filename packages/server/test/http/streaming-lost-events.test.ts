/**
 * Row 41 when the event bus loses an answer's last event (delivery is best-effort: a remote bus may be down
 * for a moment): the stream must not hang — it ends from the stored answer, shortly after it was stored.
 */
import { afterAll, beforeAll, expect, test } from 'bun:test';
import { createMemoryEventBus } from '@zekka/adapters/memory';
import { createModelRegistry, echoTokens } from '@zekka/adapters/models';
import type { EventBus, Project } from '@zekka/core';
import { startOpenAICompatibleServer } from '../../../adapters/test/support/openai-compatible-server.ts';
import { createConversation, listMessages } from './support/conversations.ts';
import { EventReader, type ListeningServer, listen, openStream } from './support/event-stream-client.ts';
import { createProject, registerUser, type TestUser } from './support/fixtures.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

/** A memory bus that never delivers an answer's final event. */
function busLosingFinalEvents(): EventBus {
  const bus = createMemoryEventBus();
  return {
    publish: (event) =>
      event.event === 'message:completed' || event.event === 'generation:failed'
        ? Promise.resolve()
        : bus.publish(event),
    subscribe: (topic, handler) => bus.subscribe(topic, handler),
    close: () => bus.close(),
  };
}

const provider = startOpenAICompatibleServer();
let server: TestServer;
let listening: ListeningServer;
let user: TestUser;
let project: Project;
beforeAll(async () => {
  server = await createTestServer({
    bus: busLosingFinalEvents(),
    models: createModelRegistry({
      providers: [{ kind: 'openai-compatible', baseURL: provider.url, models: ['tiny'] }],
      defaultModel: 'echo',
      maxRetries: 0,
    }),
  });
  listening = listen(server);
  user = await registerUser(server.http);
  project = await createProject(server.http, user.accessToken, { name: 'Lossy' });
});
afterAll(async () => {
  await listening.stop();
  await server.close();
  await provider.close();
});

test.concurrent('a lost completion: the stream still ends with the stored answer, then done', async () => {
  const { id } = await createConversation(server.http, user.accessToken, project.id);
  const started = performance.now();
  const res = await openStream(listening, user.accessToken, id, { content: 'Anyone there?' });
  const events = await new EventReader(res).rest();
  expect(performance.now() - started).toBeLessThan(5_000);
  const [, assistant] = await listMessages(server.http, user.accessToken, id);
  expect(events.map((e) => e.type)).toEqual([
    'userMessage',
    'assistantMessageStart',
    ...echoTokens('Echo: Anyone there?').map(() => 'assistantMessageDelta'),
    'assistantMessageComplete',
    'done',
  ]);
  expect(events.at(-2)?.data).toEqual(assistant);
  expect(assistant).toMatchObject({ status: 'complete', content: 'Echo: Anyone there?' });
});

test.concurrent('a lost failure: the stream still ends with one error event', async () => {
  const { id } = await createConversation(server.http, user.accessToken, project.id);
  provider.replyOnce({ status: 500 });
  const res = await openStream(listening, user.accessToken, id, { content: 'Fail', model: 'local/tiny' });
  const events = await new EventReader(res).rest();
  expect(events.map((e) => e.type)).toEqual(['userMessage', 'assistantMessageStart', 'error']);
  expect(events.at(-1)?.error?.code).toBe('MODEL_UNAVAILABLE');
  const [, assistant] = await listMessages(server.http, user.accessToken, id);
  expect(assistant?.status).toBe('failed');
});
