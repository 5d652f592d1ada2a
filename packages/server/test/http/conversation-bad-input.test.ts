/**
 * Bad input on the conversation, message, budget and model routes (rows 32–45, 60) answers a 4xx in the
 * error envelope, never a 5xx: malformed JSON, wrong types, empty or oversized content, unknown attachments
 * and models, bad cursors and paging, ill-formed ids.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Project } from '@zekka/core';
import { createConversation, listMessages, sendMessage } from './support/conversations.ts';
import { expectClientError, expectError } from './support/expect-envelope.ts';
import { createProject, registerUser, type TestUser } from './support/fixtures.ts';
import type { ApiResponse } from './support/http-client.ts';
import { long } from './support/invalid-bodies.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

const UNKNOWN_ID = '01936f6e-8a4b-7c1d-9e2f-3a4b5c6d7e8f';
const MALFORMED = ['{', '{"content":', 'not json', '{"content": "a",}', "{'content': 'a'}"];
const NOT_AN_OBJECT = ['[]', 'null', '42', '"text"', 'true'];

let server: TestServer;
let user: TestUser;
let project: Project;
let conversationId: string;
let messageId: string;
beforeAll(async () => {
  server = await createTestServer();
  user = await registerUser(server.http);
  project = await createProject(server.http, user.accessToken, { name: 'Bad input' });
  conversationId = (await createConversation(server.http, user.accessToken, project.id)).id;
  messageId = (await sendMessage(server.http, user.accessToken, conversationId, 'Seed')).userMessage.id;
});
afterAll(() => server.close());

interface BodyRoute {
  name: string;
  method: string;
  path: () => string;
  invalid: () => unknown[];
}

const SEND_INVALID = () => [
  {},
  { content: '' },
  { content: long(32_001) },
  { content: 42 },
  { content: ['a'] },
  { content: null },
  { content: 'ok', model: '' },
  { content: 'ok', model: 7 },
  { content: 'ok', model: 'acme/nonexistent' },
  { content: 'ok', attachments: 'abc' },
  { content: 'ok', attachments: ['not-a-uuid'] },
  { content: 'ok', attachments: [UNKNOWN_ID] },
  { content: 'ok', attachments: Array.from({ length: 21 }, () => UNKNOWN_ID) },
  { content: 'nul \u0000 inside' },
];

const ROUTES: BodyRoute[] = [
  {
    name: 'POST /conversations',
    method: 'POST',
    path: () => '/conversations',
    invalid: () => [
      {},
      { projectId: 'nope' },
      { projectId: 42 },
      { projectId: project.id, title: '' },
      { projectId: project.id, title: long(201) },
      { projectId: project.id, model: 'no/such-model' },
      { projectId: project.id, systemPrompt: long(32_001) },
      { projectId: project.id, agentId: 'x' },
      { projectId: project.id, title: { a: 1 } },
    ],
  },
  {
    name: 'PATCH /conversations/:id',
    method: 'PATCH',
    path: () => `/conversations/${conversationId}`,
    invalid: () => [
      { title: 5 },
      { title: long(201) },
      { archived: 'yes' },
      { model: 'no/such-model' },
      { systemPrompt: ['x'] },
    ],
  },
  {
    name: 'POST /conversations/:id/messages',
    method: 'POST',
    path: () => `/conversations/${conversationId}/messages`,
    invalid: SEND_INVALID,
  },
  {
    name: 'POST /conversations/:id/messages/stream',
    method: 'POST',
    path: () => `/conversations/${conversationId}/messages/stream`,
    invalid: SEND_INVALID,
  },
  {
    name: 'PUT /projects/:id/budget',
    method: 'PUT',
    path: () => `/projects/${project.id}/budget`,
    invalid: () => [
      { dailyUsd: -0.01 },
      { dailyUsd: 'ten' },
      { monthlyUsd: [1] },
      { monthlyUsd: 1e10 },
      { fallbackModel: 'no/such-model' },
      { fallbackModel: '' },
    ],
  },
];

const send = (route: BodyRoute, body: unknown) =>
  server.http.request(route.method, route.path(), { token: user.accessToken, body });

/** Sends every body and expects each to be `400 VALIDATION_FAILED`, naming every one that was not. */
async function expectAllRefused(route: BodyRoute, bodies: unknown[]): Promise<void> {
  const label = (body: unknown) => (typeof body === 'string' ? body : JSON.stringify(body)).slice(0, 60);
  const results: { body: unknown; res: ApiResponse<unknown> }[] = [];
  for (const body of bodies) results.push({ body, res: await send(route, body) });
  expect(results.map(({ body, res }) => ({ body: label(body), status: res.status }))).toEqual(
    bodies.map((body) => ({ body: label(body), status: 400 })),
  );
  for (const { res } of results) expectError(res, 400, 'VALIDATION_FAILED');
}

describe('bodies → 400 VALIDATION_FAILED', () => {
  for (const route of ROUTES) {
    test.concurrent(`${route.name}: malformed JSON and non-objects`, async () => {
      await expectAllRefused(route, [...MALFORMED, ...NOT_AN_OBJECT]);
    });
    test.concurrent(`${route.name}: wrong types, bad values, unknown references`, async () => {
      await expectAllRefused(route, route.invalid());
    });
  }

  test.concurrent('no refused send stored a message', async () => {
    const before = await listMessages(server.http, user.accessToken, conversationId);
    await expectAllRefused(ROUTES[2] as BodyRoute, SEND_INVALID());
    expect(await listMessages(server.http, user.accessToken, conversationId)).toHaveLength(before.length);
  });

  test.concurrent('unknown attachments name each bad entry', async () => {
    const res = await server.http.post(`/conversations/${conversationId}/messages`, {
      token: user.accessToken,
      body: { content: 'See attached', attachments: [UNKNOWN_ID, UNKNOWN_ID] },
    });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.error?.details?.map((d) => d.path)).toEqual(['/attachments/0', '/attachments/1']);
  });

  test.concurrent('content of exactly 32,000 characters is accepted', async () => {
    const { id } = await createConversation(server.http, user.accessToken, project.id);
    const sent = await sendMessage(server.http, user.accessToken, id, long(32_000));
    expect(sent.userMessage.content).toHaveLength(32_000);
  });

  test.concurrent('a body that is not JSON → 400 or 415', async () => {
    const res = await server.http.post(`/conversations/${conversationId}/messages`, {
      token: user.accessToken,
      body: 'content=hello',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect([400, 415]).toContain(res.status);
    expectClientError(res);
  });
});

describe('queries → 400', () => {
  const cases: [string, Record<string, string | number>][] = [
    ['/conversations', { limit: 0 }],
    ['/conversations', { limit: 101 }],
    ['/conversations', { offset: -1 }],
    ['/conversations', { projectId: 'not-a-uuid' }],
    ['/conversations', { search: long(201) }],
    ['/messages/search', { q: '' }],
    ['/messages/search', { q: 'ok', projectId: 'x' }],
    ['/messages/search', { q: 'ok', limit: 1000 }],
  ];
  test.concurrent('bad paging and filters on the lists and search', async () => {
    for (const [path, query] of cases) {
      const res = await server.http.get(path, { token: user.accessToken, query });
      expect({ path, query, status: res.status }).toEqual({ path, query, status: 400 });
      expectError(res, 400, 'VALIDATION_FAILED');
    }
  });

  test.concurrent('bad cursors on the messages list', async () => {
    const path = `/conversations/${conversationId}/messages`;
    const bad: Record<string, string | number>[] = [
      { before: 'x' },
      { after: "1' OR '1'='1" },
      { after: UNKNOWN_ID },
      { before: messageId, after: messageId },
      { offset: 2, after: messageId },
      { limit: 500 },
    ];
    for (const query of bad) {
      const res = await server.http.get(path, { token: user.accessToken, query });
      expect({ query, status: res.status }).toEqual({ query, status: 400 });
      expectError(res, 400, 'VALIDATION_FAILED');
    }
  });
});

describe('ill-formed ids → 400 or 404, unknown ids → 404', () => {
  const ILL_FORMED = ['not-a-uuid', '123', "1'%20OR%20'1'='1", '%00', long(1000), '%F0%9F%92%A5'];
  const routes: [string, (id: string) => Promise<ApiResponse<unknown>>][] = [
    ['GET /conversations/:id', (id) => server.http.get(`/conversations/${id}`, { token: user.accessToken })],
    [
      'PATCH /conversations/:id',
      (id) => server.http.patch(`/conversations/${id}`, { token: user.accessToken, body: { title: 't' } }),
    ],
    [
      'DELETE /conversations/:id',
      (id) => server.http.delete(`/conversations/${id}`, { token: user.accessToken }),
    ],
    [
      'GET /conversations/:id/messages',
      (id) => server.http.get(`/conversations/${id}/messages`, { token: user.accessToken }),
    ],
    [
      'POST /conversations/:id/messages',
      (id) =>
        server.http.post(`/conversations/${id}/messages`, {
          token: user.accessToken,
          body: { content: 'x' },
        }),
    ],
    [
      'POST /conversations/:id/messages/stream',
      (id) =>
        server.http.post(`/conversations/${id}/messages/stream`, {
          token: user.accessToken,
          body: { content: 'x' },
        }),
    ],
    [
      'POST /conversations/:id/stop',
      (id) => server.http.post(`/conversations/${id}/stop`, { token: user.accessToken }),
    ],
    ['DELETE /messages/:id', (id) => server.http.delete(`/messages/${id}`, { token: user.accessToken })],
    [
      'GET /projects/:id/budget',
      (id) => server.http.get(`/projects/${id}/budget`, { token: user.accessToken }),
    ],
    [
      'PUT /projects/:id/budget',
      (id) => server.http.put(`/projects/${id}/budget`, { token: user.accessToken, body: { dailyUsd: 1 } }),
    ],
  ];
  for (const [name, call] of routes) {
    test.concurrent(name, async () => {
      for (const id of ILL_FORMED) {
        const res = await call(id);
        expect({ id: id.slice(0, 40), status: res.status }).toMatchObject({ id: id.slice(0, 40) });
        expect([400, 404]).toContain(res.status);
        expectClientError(res);
      }
      expectError(await call(UNKNOWN_ID), 404, 'NOT_FOUND');
    });
  }
});
