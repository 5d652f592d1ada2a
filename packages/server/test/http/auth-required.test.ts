/**
 * The authentication convention: everything under `/api/v1` needs a bearer credential except register,
 * login, refresh, verify-email, forgot-password and reset-password.
 */
import { afterAll, beforeAll, describe, test } from 'bun:test';
import { expectError } from './support/expect-envelope.ts';
import { createTestServer, type TestServer } from './support/test-server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await createTestServer();
});
afterAll(() => server.close());

const SOME_ID = '01936f6e-8a4b-7c1d-9e2f-3a4b5c6d7e8f';

/** Rows 4–9, 13–42, 44–45 and 60, each with a body that would be valid. */
const PROTECTED: [method: string, path: string, body?: unknown][] = [
  ['POST', '/auth/logout'],
  ['GET', '/auth/me'],
  ['PATCH', '/auth/me', { name: 'x' }],
  ['DELETE', '/auth/me', { password: 'Quiet-Lantern-42!' }],
  ['GET', '/auth/me/export'],
  [
    'POST',
    '/auth/change-password',
    { currentPassword: 'Quiet-Lantern-42!', newPassword: 'Amber-Harbour-77?' },
  ],
  ['GET', '/auth/sessions'],
  ['DELETE', `/auth/sessions/${SOME_ID}`],
  ['GET', '/auth/api-keys'],
  ['POST', '/auth/api-keys', { name: 'k' }],
  ['DELETE', `/auth/api-keys/${SOME_ID}`],
  ['GET', '/users'],
  ['PATCH', `/users/${SOME_ID}`, { role: 'admin' }],
  ['GET', '/projects'],
  ['POST', '/projects', { name: 'p' }],
  ['GET', `/projects/${SOME_ID}`],
  ['PATCH', `/projects/${SOME_ID}`, { name: 'p' }],
  ['DELETE', `/projects/${SOME_ID}`],
  ['POST', `/projects/${SOME_ID}/archive`],
  ['POST', `/projects/${SOME_ID}/unarchive`],
  ['GET', `/projects/${SOME_ID}/stats`],
  ['GET', `/projects/${SOME_ID}/members`],
  ['POST', `/projects/${SOME_ID}/members`, { email: 'a@example.test', role: 'viewer' }],
  ['PATCH', `/projects/${SOME_ID}/members/${SOME_ID}`, { role: 'editor' }],
  ['DELETE', `/projects/${SOME_ID}/members/${SOME_ID}`],
  ['GET', `/projects/${SOME_ID}/budget`],
  ['PUT', `/projects/${SOME_ID}/budget`, { dailyUsd: 1 }],
  ['GET', '/conversations'],
  ['POST', '/conversations', { projectId: SOME_ID }],
  ['GET', `/conversations/${SOME_ID}`],
  ['PATCH', `/conversations/${SOME_ID}`, { title: 't' }],
  ['DELETE', `/conversations/${SOME_ID}`],
  ['GET', `/conversations/${SOME_ID}/messages`],
  ['POST', `/conversations/${SOME_ID}/messages`, { content: 'hi' }],
  ['POST', `/conversations/${SOME_ID}/messages/stream`, { content: 'hi' }],
  ['POST', `/conversations/${SOME_ID}/stop`],
  ['DELETE', `/messages/${SOME_ID}`],
  ['GET', '/messages/search?q=hello'],
  ['GET', '/models'],
];

describe('protected routes', () => {
  for (const [method, path, body] of PROTECTED) {
    test.concurrent(`${method} ${path.replaceAll(SOME_ID, ':id')}: no credential → 401 AUTH_REQUIRED`, async () => {
      expectError(await server.http.request(method, path, { body }), 401, 'AUTH_REQUIRED');
    });

    test.concurrent(`${method} ${path.replaceAll(SOME_ID, ':id')}: a bad credential → 401 TOKEN_INVALID`, async () => {
      expectError(
        await server.http.request(method, path, { body, token: 'not-a-token' }),
        401,
        'TOKEN_INVALID',
      );
    });
  }
});

describe('anonymous routes', () => {
  const ANONYMOUS = [
    '/auth/register',
    '/auth/login',
    '/auth/refresh',
    '/auth/verify-email',
    '/auth/forgot-password',
    '/auth/reset-password',
  ];
  for (const path of ANONYMOUS) {
    test.concurrent(`POST ${path} needs no credential (an empty body is a 400, not a 401)`, async () => {
      expectError(await server.http.post(path, { body: {} }), 400, 'VALIDATION_FAILED');
    });
  }
});
