/**
 * Bad input on every route answers a 4xx in the error envelope, with `requestId` — never a 5xx: malformed
 * JSON, wrong types, missing fields, oversized strings, ill-formed or unknown ids, bad paging.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { Project } from '@zekka/core';
import { expectClientError, expectError } from './support/expect-envelope.ts';
import {
  createAdmin,
  createProject,
  login,
  PASSWORD,
  registerUser,
  type TestUser,
} from './support/fixtures.ts';
import type { ApiResponse } from './support/http-client.ts';
import { jsonRoutes as buildJsonRoutes, type JsonRoute, long } from './support/invalid-bodies.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

let server: TestServer;
let user: TestUser;
let admin: TestUser;
let project: Project;
beforeAll(async () => {
  server = await createTestServer();
  [user, admin] = await Promise.all([registerUser(server.http), createAdmin(server)]);
  project = await createProject(server.http, user.accessToken, { name: 'Target' });
});
afterAll(() => server.close());

const UNKNOWN_ID = '01936f6e-8a4b-7c1d-9e2f-3a4b5c6d7e8f';
const jsonRoutes = buildJsonRoutes(() => ({
  projectId: project.id,
  userId: user.user.id,
  adminEmail: admin.email,
}));

const MALFORMED = ['{', '{"email":', 'not json', '[1, 2', '{"a": 1,}', "{'a': 1}", '{"a": "b" "c": 1}'];
const NOT_AN_OBJECT = ['[]', 'null', '42', '"text"', 'true'];

function tokenFor(as: JsonRoute['as']): string | undefined {
  if (as === 'anonymous') return undefined;
  return as === 'admin' ? admin.accessToken : user.accessToken;
}

function send(route: JsonRoute, body: unknown, headers?: Record<string, string>) {
  return server.http.request(route.method, route.path(), { token: tokenFor(route.as), body, headers });
}

/** 400 VALIDATION_FAILED with `details: [{ path, message }]`. */
function expectValidationFailed(res: ApiResponse<unknown>, requireDetails: boolean): void {
  expectError(res, 400, 'VALIDATION_FAILED');
  const details = res.error?.details;
  expect(Array.isArray(details)).toBe(true);
  if (requireDetails) expect(details?.length).toBeGreaterThan(0);
  for (const detail of details ?? []) {
    expect(typeof detail.path).toBe('string');
    expect(typeof detail.message).toBe('string');
  }
}

/** Sends every body, then asserts all were refused, listing every one that was not (not just the first). */
async function expectEachValidationFailed(route: JsonRoute, bodies: unknown[], requireDetails: boolean) {
  const results = [];
  for (const body of bodies) results.push({ body, res: await send(route, body) });
  const label = (body: unknown) => (typeof body === 'string' ? body : JSON.stringify(body)).slice(0, 60);
  const statuses = results.map(({ body, res }) => ({ body: label(body), status: res.status }));
  expect(statuses).toEqual(bodies.map((body) => ({ body: label(body), status: 400 })));
  for (const { res } of results) expectValidationFailed(res, requireDetails);
}

describe('malformed JSON → 400 VALIDATION_FAILED', () => {
  for (const route of jsonRoutes) {
    test.concurrent(route.name, async () => {
      await expectEachValidationFailed(route, MALFORMED, false);
    });
  }
});

describe('JSON that is not an object → 400 VALIDATION_FAILED', () => {
  for (const route of jsonRoutes) {
    test.concurrent(route.name, async () => {
      await expectEachValidationFailed(route, NOT_AN_OBJECT, true);
    });
  }
});

describe('wrong types, missing fields, oversized strings → 400 VALIDATION_FAILED', () => {
  for (const route of jsonRoutes) {
    test.concurrent(route.name, async () => {
      await expectEachValidationFailed(route, route.invalid(), true);
    });
  }
});

describe('bodies that are not JSON or too large → 4xx', () => {
  test.concurrent('a body sent as text/plain or a form → 400 or 415', async () => {
    for (const route of jsonRoutes) {
      for (const [type, body] of [
        ['text/plain', JSON.stringify({ name: 'x' })],
        ['application/x-www-form-urlencoded', 'name=x&email=a%40b.c'],
        ['application/xml', '<name>x</name>'],
      ] as const) {
        const res = await send(route, body, { 'content-type': type });
        expect({ route: route.name, type, status: res.status }).toMatchObject({ route: route.name, type });
        expect([400, 415]).toContain(res.status);
        expectClientError(res);
      }
    }
  });

  test.concurrent('project settings over 16 KiB → 400 or 413', async () => {
    const res = await server.http.post('/projects', {
      token: user.accessToken,
      body: { name: 'Heavy', settings: { blob: long(17 * 1024) } },
    });
    expect([400, 413]).toContain(res.status);
    expectClientError(res);
  });

  test.concurrent('a 5 MiB body → 400 or 413', async () => {
    const res = await server.http.post('/projects', {
      token: user.accessToken,
      body: { name: 'Huge', description: long(5 * 1024 * 1024) },
    });
    expect([400, 413]).toContain(res.status);
    expectClientError(res);
  });
});

describe('ill-formed and unknown ids', () => {
  const ILL_FORMED = [
    'not-a-uuid',
    '123',
    "1'%20OR%20'1'='1",
    '%00',
    long(1000),
    '..%2F..%2Fetc',
    '%F0%9F%92%A5',
  ];
  const routes: [string, (id: string) => Promise<ApiResponse<unknown>>][] = [
    ['GET /projects/:id', (id) => server.http.get(`/projects/${id}`, { token: user.accessToken })],
    [
      'PATCH /projects/:id',
      (id) => server.http.patch(`/projects/${id}`, { token: user.accessToken, body: { name: 'n' } }),
    ],
    ['DELETE /projects/:id', (id) => server.http.delete(`/projects/${id}`, { token: user.accessToken })],
    [
      'POST /projects/:id/archive',
      (id) => server.http.post(`/projects/${id}/archive`, { token: user.accessToken }),
    ],
    [
      'POST /projects/:id/unarchive',
      (id) => server.http.post(`/projects/${id}/unarchive`, { token: user.accessToken }),
    ],
    [
      'GET /projects/:id/stats',
      (id) => server.http.get(`/projects/${id}/stats`, { token: user.accessToken }),
    ],
    [
      'GET /projects/:id/members',
      (id) => server.http.get(`/projects/${id}/members`, { token: user.accessToken }),
    ],
    [
      'POST /projects/:id/members',
      (id) =>
        server.http.post(`/projects/${id}/members`, {
          token: user.accessToken,
          body: { email: admin.email, role: 'viewer' },
        }),
    ],
    [
      'PATCH /projects/:p/members/:id',
      (id) =>
        server.http.patch(`/projects/${project.id}/members/${id}`, {
          token: user.accessToken,
          body: { role: 'viewer' },
        }),
    ],
    [
      'DELETE /projects/:p/members/:id',
      (id) => server.http.delete(`/projects/${project.id}/members/${id}`, { token: user.accessToken }),
    ],
    [
      'DELETE /auth/sessions/:id',
      (id) => server.http.delete(`/auth/sessions/${id}`, { token: user.accessToken }),
    ],
    [
      'DELETE /auth/api-keys/:id',
      (id) => server.http.delete(`/auth/api-keys/${id}`, { token: user.accessToken }),
    ],
    [
      'PATCH /users/:id',
      (id) => server.http.patch(`/users/${id}`, { token: admin.accessToken, body: { role: 'user' } }),
    ],
  ];

  for (const [name, call] of routes) {
    test.concurrent(`${name}: ill-formed ids → 400 or 404`, async () => {
      for (const id of ILL_FORMED) {
        const res = await call(id);
        expect({ id, status: res.status }).toMatchObject({ id });
        expect([400, 404]).toContain(res.status);
        expectClientError(res);
      }
    });

    test.concurrent(`${name}: an unknown id → 404 NOT_FOUND`, async () => {
      expectError(await call(UNKNOWN_ID), 404, 'NOT_FOUND');
    });
  }
});

describe('bad paging and filters → 400 VALIDATION_FAILED', () => {
  const BAD_QUERIES: Record<string, string>[] = [
    { limit: '0' },
    { limit: '101' },
    { limit: '-1' },
    { limit: 'abc' },
    { limit: '1.5' },
    { limit: '1e3' },
    { offset: '-1' },
    { offset: 'abc' },
    { offset: '2.5' },
  ];
  const lists: [string, string, () => string, Record<string, string>[]][] = [
    ['GET /projects', '/projects', () => user.accessToken, [{ status: 'deleted' }, { search: long(201) }]],
    ['GET /users', '/users', () => admin.accessToken, [{ search: long(201) }]],
  ];
  for (const [name, path, token, extra] of lists) {
    test.concurrent(name, async () => {
      for (const query of [...BAD_QUERIES, ...extra]) {
        const res = await server.http.get(path, { token: token(), query });
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
        expectValidationFailed(res, true);
      }
    });

    test.concurrent(`${name}: the limits themselves are accepted`, async () => {
      const accepted: Record<string, string>[] = [
        { limit: '1' },
        { limit: '100' },
        { offset: '0' },
        { limit: '100', offset: '1000' },
      ];
      for (const query of accepted) {
        const res = await server.http.get(path, { token: token(), query });
        expect({ query, status: res.status }).toEqual({ query, status: 200 });
      }
    });
  }
});

describe('routes and credentials that do not exist', () => {
  test.concurrent('unknown routes → 404 NOT_FOUND in the envelope', async () => {
    for (const path of ['/nope', '/projects/extra/deep/path', '/auth']) {
      expectError(await server.http.get(path, { token: user.accessToken }), 404, 'NOT_FOUND');
    }
    expectError(await server.http.get('//no-such-root-route'), 404, 'NOT_FOUND');
  });

  test.concurrent('an unsupported method on a known path → 404 or 405 in the envelope', async () => {
    const res = await server.http.request('PUT', '/projects', {
      token: user.accessToken,
      body: { name: 'x' },
    });
    expect([404, 405]).toContain(res.status);
    expectClientError(res);
  });

  test.concurrent('empty and oversized bearer tokens → 401', async () => {
    for (const authorization of [
      'Bearer ',
      'Bearer',
      `Bearer ${long(20_000)}`,
      'bearer',
      `Bearer ${'é'.repeat(50)}`,
    ]) {
      const res = await server.http.get('/auth/me', { headers: { authorization } });
      expect({ authorization: authorization.slice(0, 20), status: res.status }).toMatchObject({
        status: 401,
      });
      expectClientError(res);
    }
  });

  test.concurrent('control characters in strings never cause a 5xx', async () => {
    for (const name of ['a\u0000b', '\u202eevil', '\ud800', '😀'.repeat(50)]) {
      const res = await server.http.post('/projects', { token: user.accessToken, body: { name } });
      expect(res.status).toBeLessThan(500);
    }
    const res = await server.http.post('/auth/login', {
      body: { email: 'a\u0000@example.test', password: PASSWORD },
    });
    expect(res.status).toBeLessThan(500);
  });
});

describe('bad input changes nothing', () => {
  test('the user and the project survive the whole suite', async () => {
    await login(server.http, user.email, PASSWORD);
    const res = await server.http.get<Project>(`/projects/${project.id}`, { token: user.accessToken });
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({ name: 'Target', status: 'active' });
  });
});
