/**
 * Shutting an instance down loses nothing acknowledged: a generation streaming when SIGTERM arrives
 * finishes (or, past the drain time, is stored as stopped), its SSE client gets the end of the stream,
 * and the process exits 0. Checked on a real `zekka serve` process and its SQLite file.
 */
import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServerProcess } from './postgres/support/server-process.ts';
import { call, createConversation, createProject, openStream, register, words } from './scale/support/api.ts';
import { SseReader } from './scale/support/sse.ts';

const dir = mkdtempSync(join(tmpdir(), 'zekka-shutdown-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('a generation running at SIGTERM is finished and stored before the process exits 0', async () => {
  const env = {
    DATABASE_URL: `sqlite:${join(dir, 'zekka.db')}`,
    DATA_DIR: dir,
    JWT_SECRET: 'a-shutdown-test-secret-that-is-long-enough-0123',
    ECHO_TOKEN_DELAY_MS: '20',
    REDIS_URL: '',
  };
  const server = await startServerProcess(env);
  const { token } = await register(server.url);
  const projectId = await createProject(server.url, token);
  const conversationId = await createConversation(server.url, token, projectId);
  // ~80 deltas × 20 ms: still running when the signal arrives.
  const stream = new SseReader(await openStream(server.url, token, conversationId, words(80)));
  const first = await stream.next();
  expect(first).toMatchObject({ type: 'userMessage' });

  const exited = server.stop();
  const events = await stream.rest();
  expect(await exited).toBe(0);
  expect(events.at(-1)).toMatchObject({ type: 'done' });
  const complete = events.find((event) => event.type === 'assistantMessageComplete') as
    | { data: { status: string; content: string } }
    | undefined;
  expect(complete?.data.status).toBe('complete');

  // The stored answer survives the restart: not left `streaming`.
  const again = await startServerProcess(env);
  const page = await call(again.url, 'GET', `/api/v1/conversations/${conversationId}/messages`, { token });
  const stored = (page.body.data as { role: string; status: string; content: string }[]).find(
    (message) => message.role === 'assistant',
  );
  expect(stored?.status).toBe('complete');
  expect(stored?.content).toBe(complete?.data.content);
  expect(await again.stop()).toBe(0);
}, 60_000);
