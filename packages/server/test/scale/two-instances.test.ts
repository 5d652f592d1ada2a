/**
 * Two `zekka serve` processes on different ports, one Postgres schema and one Redis key prefix, acting as
 * one: the rate limit is shared, an idempotent POST retried on the other instance is applied once, a stop
 * on B aborts a generation running on A, a stream started on A resumes on B from `Last-Event-ID` (or, retried
 * with its `Idempotency-Key`, is streamed again from the start), and a session revoked on A is refused by the
 * next request on B. Skipped locally (saying why) without Postgres
 * and Redis URLs; with `CI=true` a missing one fails.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresTestTarget, redisTestTarget } from '@zekka/adapters/conformance';
import type { Message } from '@zekka/core';
import { type ServerProcess, startServerProcess } from '../postgres/support/server-process.ts';
import { WsClient } from '../realtime/support/ws-client.ts';
import {
  call,
  createConversation,
  createProject,
  eventually,
  openStream,
  randomIp,
  register,
  words,
} from './support/api.ts';
import { SseReader } from './support/sse.ts';

const postgres = postgresTestTarget();
const redis = redisTestTarget();

describe.skipIf(postgres === null || redis === null)('two instances on one Postgres and one Redis', () => {
  let a: ServerProcess;
  let b: ServerProcess;
  let dropSchema: () => Promise<void>;
  const dataDir = mkdtempSync(join(tmpdir(), 'zekka-scale-'));

  beforeAll(async () => {
    if (postgres === null || redis === null) throw new Error('skipped suites do not run');
    const { schema, drop } = await postgres.createSchema();
    dropSchema = drop;
    const env = {
      DATABASE_URL: postgres.url,
      DATABASE_SCHEMA: schema,
      REDIS_URL: redis.url,
      REDIS_KEY_PREFIX: redis.prefix,
      JWT_SECRET: 'scale-test-secret-that-is-long-enough-0123456789',
      DATA_DIR: dataDir,
      TRUST_PROXY: 'true',
      AUTH_RATE_LIMIT_PER_MINUTE: '5',
      ECHO_TOKEN_DELAY_MS: '50',
      LOG_LEVEL: 'warn',
    };
    // One after the other: the first applies the migrations.
    a = await startServerProcess({ ...env, LOG_LEVEL: 'info' });
    b = await startServerProcess({ ...env, LOG_LEVEL: 'info' });
  }, 60_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await dropSchema?.();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the auth rate limit is shared: the 6th request on either instance is 429', async () => {
    const ip = randomIp();
    const login = (url: string) =>
      call(url, 'POST', '/api/v1/auth/login', {
        headers: { 'x-forwarded-for': ip },
        body: { email: `nobody-${ip}@example.test`, password: 'Wrong-Password-1!' },
      });
    const statuses: number[] = [];
    for (const url of [a.url, b.url, a.url, b.url, a.url]) statuses.push((await login(url)).status);
    expect(statuses.every((status) => status === 401)).toBe(true);
    const sixthOnB = await login(b.url);
    expect(sixthOnB.status).toBe(429);
    expect(sixthOnB.headers.get('retry-after')).not.toBeNull();
    expect((await login(a.url)).status).toBe(429);
  });

  test('an idempotent POST retried on the other instance is applied once', async () => {
    const { token } = await register(a.url);
    const headers = { 'idempotency-key': `key-${crypto.randomUUID()}` };
    const first = await call(a.url, 'POST', '/api/v1/projects', { token, headers, body: { name: 'Once' } });
    expect(first.status).toBe(201);
    const retried = await call(b.url, 'POST', '/api/v1/projects', { token, headers, body: { name: 'Once' } });
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotency-replayed')).toBe('true');
    expect(retried.body.data).toEqual(first.body.data);

    // Sent at the same time to both: one runs, the other waits for it and replays its answer.
    const together = { 'idempotency-key': `key-${crypto.randomUUID()}` };
    const [onA, onB] = await Promise.all([
      call(a.url, 'POST', '/api/v1/projects', { token, headers: together, body: { name: 'Together' } }),
      call(b.url, 'POST', '/api/v1/projects', { token, headers: together, body: { name: 'Together' } }),
    ]);
    expect([onA.status, onB.status]).toEqual([201, 201]);
    expect(onA.body.data).toEqual(onB.body.data);

    const list = await call(b.url, 'GET', '/api/v1/projects', { token });
    const names = (list.body.data as { name: string }[]).map((project) => project.name).sort();
    expect(names).toEqual(['Once', 'Together']);
  });

  test('a stop on B aborts the generation running on A; the message ends stopped', async () => {
    const { token } = await register(a.url);
    const projectId = await createProject(a.url, token);
    const conversationId = await createConversation(a.url, token, projectId);
    const reader = new SseReader(await openStream(a.url, token, conversationId, words(200)));
    for (let deltas = 0; deltas < 3; ) {
      const event = await reader.next();
      if (event?.type === 'assistantMessageDelta') deltas++;
    }
    const stop = await call(b.url, 'POST', `/api/v1/conversations/${conversationId}/stop`, { token });
    expect(stop.status).toBe(202);
    expect(stop.body.data).toEqual({ stopped: true });
    const events = await reader.rest(10_000);
    const complete = events.find((event) => event.type === 'assistantMessageComplete');
    expect((complete?.data as Message | undefined)?.status).toBe('stopped');
    expect(events.at(-1)?.type).toBe('done');
    // Far from the 200 words it would have written.
    expect(events.filter((event) => event.type === 'assistantMessageDelta').length).toBeLessThan(100);

    const again = await call(b.url, 'POST', `/api/v1/conversations/${conversationId}/stop`, { token });
    expect(again.body.data).toEqual({ stopped: false });
  });

  test('a stream started on A resumes on B from Last-Event-ID and ends with done', async () => {
    const { token } = await register(a.url);
    const projectId = await createProject(a.url, token);
    const conversationId = await createConversation(a.url, token, projectId);
    const left = new AbortController();
    const onA = new SseReader(await openStream(a.url, token, conversationId, words(40), left.signal));
    let last = 0;
    while (last < 6) last = (await onA.next())?.id ?? last;
    await onA.cancel();
    left.abort();

    const resumed = await fetch(`${b.url}/api/v1/conversations/${conversationId}/stream`, {
      headers: { authorization: `Bearer ${token}`, 'last-event-id': String(last) },
    });
    expect(resumed.status).toBe(200);
    expect(resumed.headers.get('content-type')).toBe('text/event-stream');
    const events = await new SseReader(resumed).rest();
    expect(events[0]?.id).toBe(last + 1);
    expect(events.map((event) => event.id)).toEqual(events.map((_, i) => last + 1 + i));
    expect(events.at(-1)?.type).toBe('done');
    const complete = events.at(-2);
    expect(complete?.type).toBe('assistantMessageComplete');
    const chunks = [...onA.events, ...events]
      .filter((event) => event.type === 'assistantMessageDelta')
      .map((event) => (event.data as { chunk: string }).chunk)
      .join('');
    expect(chunks).toBe(String((complete?.data as Message | undefined)?.content));

    // Finished and buffered: a reconnect from the start replays all of it, on either instance.
    const replay = await fetch(`${a.url}/api/v1/conversations/${conversationId}/stream`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const all = await new SseReader(replay).rest();
    expect(all[0]).toMatchObject({ id: 1, type: 'userMessage' });
    expect(all.at(-1)).toMatchObject({ id: events.at(-1)?.id, type: 'done' });

    // Another user cannot read it; a conversation with nothing running or buffered is 404.
    const stranger = await register(b.url);
    const refused = await call(b.url, 'GET', `/api/v1/conversations/${conversationId}/stream`, {
      token: stranger.token,
    });
    expect(refused.status).toBe(404);
    const quiet = await createConversation(a.url, token, projectId);
    expect((await call(b.url, 'GET', `/api/v1/conversations/${quiet}/stream`, { token })).status).toBe(404);
  });

  test('a streamed send retried on B with its Idempotency-Key streams the answer A is writing', async () => {
    const { token } = await register(a.url);
    const projectId = await createProject(a.url, token);
    const conversationId = await createConversation(a.url, token, projectId);
    const post = (url: string) =>
      fetch(`${url}/api/v1/conversations/${conversationId}/messages/stream`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'idempotency-key': `stream-${conversationId}`,
        },
        body: JSON.stringify({ content: words(20) }),
      });
    const onA = new SseReader(await post(a.url));
    let seen = await onA.next();
    while (seen !== null && (seen.id ?? 0) < 4) seen = await onA.next();
    expect(seen?.type).toBe('assistantMessageDelta');
    // The client lost A mid-answer and retries the same request on B.
    const retried = await post(b.url);
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotency-replayed')).toBe('true');
    // The same events, from the first: what A's client saw, whole.
    const [replayed, original] = await Promise.all([new SseReader(retried).rest(), onA.rest()]);
    expect(replayed).toEqual(original);
    expect(replayed.at(-1)?.type).toBe('done');
    const messages = await call(b.url, 'GET', `/api/v1/conversations/${conversationId}/messages`, { token });
    expect((messages.body.data as Message[]).map((message) => message.role)).toEqual(['user', 'assistant']);
  });

  test('a session revoked (logout) on A is refused by the next request on B', async () => {
    const { token } = await register(a.url);
    expect((await call(b.url, 'GET', '/api/v1/auth/me', { token })).status).toBe(200);
    const logout = await call(a.url, 'POST', '/api/v1/auth/logout', { token, body: {} });
    expect(logout.status).toBeLessThan(300);
    expect((await call(b.url, 'GET', '/api/v1/auth/me', { token })).status).toBe(401);
  });

  test('a WebSocket client on B receives what REST calls on A cause; a removed member stops at once', async () => {
    const owner = await register(a.url);
    const member = await register(a.url);
    const stranger = await register(a.url);
    const projectId = await createProject(a.url, owner.token);
    const conversationId = await createConversation(a.url, owner.token, projectId);
    const added = await call(a.url, 'POST', `/api/v1/projects/${projectId}/members`, {
      token: owner.token,
      body: { email: member.email, role: 'viewer' },
    });
    expect(added.status).toBe(201);

    const watcher = await WsClient.ready(b.url, owner.token);
    const viewer = await WsClient.ready(b.url, member.token);
    const outsider = await WsClient.ready(b.url, stranger.token);
    for (const topic of [`project:${projectId}`, `conversation:${conversationId}`]) {
      expect((await watcher.subscribe(topic)).type).toBe('ack');
      expect((await viewer.subscribe(topic)).type).toBe('ack');
      // The outsider's subscriptions are refused; it listens throughout and must never get their events.
      expect(await outsider.subscribe(topic)).toMatchObject({ type: 'error', error: { code: 'NOT_FOUND' } });
    }

    expect(
      (
        await call(a.url, 'PATCH', `/api/v1/projects/${projectId}`, {
          token: owner.token,
          body: { name: 'Renamed' },
        })
      ).status,
    ).toBe(200);
    await watcher.event('project:updated', `project:${projectId}`, 10_000);
    const third = await register(a.url);
    await call(a.url, 'POST', `/api/v1/projects/${projectId}/members`, {
      token: owner.token,
      body: { email: third.email, role: 'viewer' },
    });
    await watcher.event('project:member_added', `project:${projectId}`, 10_000);
    const sent = await call(a.url, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
      token: owner.token,
      body: { content: 'hello across instances' },
    });
    expect(sent.status).toBe(201);
    await watcher.event('message:delta', `conversation:${conversationId}`, 10_000);
    const completed = await watcher.event('message:completed', `conversation:${conversationId}`, 10_000);
    expect((completed.data as { content: string }).content).toBe('Echo: hello across instances');
    await viewer.event('message:completed', `conversation:${conversationId}`, 10_000);

    // The member is removed on A: on B it gets the removal, then nothing more of this project.
    const removed = await call(
      a.url,
      'DELETE',
      `/api/v1/projects/${projectId}/members/${(added.body.data as { userId: string }).userId}`,
      {
        token: owner.token,
      },
    );
    expect(removed.status).toBe(204);
    await viewer.event('project:member_removed', undefined, 10_000);
    const before = viewer.events().length;
    await call(a.url, 'PATCH', `/api/v1/projects/${projectId}`, {
      token: owner.token,
      body: { name: 'After' },
    });
    await call(a.url, 'POST', `/api/v1/conversations/${conversationId}/messages`, {
      token: owner.token,
      body: { content: 'not for the removed member' },
    });
    await watcher.event('message:completed', undefined, 10_000);
    await eventually(async () => {
      const last = watcher.events().filter((e) => e.event === 'message:completed');
      expect(last.length).toBe(2);
    });
    await viewer.settle();
    expect(viewer.events().slice(before)).toEqual([]);
    await outsider.settle();
    expect(outsider.events()).toEqual([]);
    for (const client of [watcher, viewer, outsider]) client.close();
  }, 60_000);

  test('both instances report ready with Redis up', async () => {
    await eventually(async () => {
      expect((await fetch(`${a.url}/ready`)).status).toBe(200);
      expect((await fetch(`${b.url}/ready`)).status).toBe(200);
    });
    expect(a.output()).toContain('shared state on redis');
  });
});
