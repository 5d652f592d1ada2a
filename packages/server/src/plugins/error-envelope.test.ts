import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { type Zekka, ZekkaError } from '@zekka/core';
import {
  createRecordingLogger,
  createTestApp,
  createTestZekka,
  errorOf,
  registerUser,
  requestIdOf,
  type Sent,
  send,
  type TestApp,
} from '../../test/support/test-app.ts';
import { MAX_JSON_BODY_BYTES } from './json-body.ts';

const zekka = createTestZekka();
const app = createTestApp(zekka);
let token: string;
beforeAll(async () => {
  ({ token } = await registerUser(app));
});
afterAll(() => zekka.close());

/** The whole envelope: exactly these keys, a request id matching the header, and the given status/code. */
function expectEnvelope(res: Sent, status: number, code: string): void {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/json');
  expect(Object.keys(res.json as object).sort()).toEqual(['error', 'requestId', 'success']);
  expect((res.json as { success: unknown }).success).toBe(false);
  expect(errorOf(res).code).toBe(code);
  expect(typeof errorOf(res).message).toBe('string');
  expect(requestIdOf(res)).toBe(res.headers.get('x-request-id') ?? 'missing');
}

const PROJECT_ID = '01936f6e-8a4b-7c1d-9e2f-3a4b5c6d7e8f';

/** The app over `zekka` with `projects.get` replaced. */
function appWithProjectGet(get: Zekka['projects']['get'], logger = createRecordingLogger()): TestApp {
  return createTestApp({ ...zekka, projects: { ...zekka.projects, get } }, { logger });
}

describe("Elysia's own answers are mapped into the envelope", () => {
  test('a schema error (Elysia: 422) → 400 VALIDATION_FAILED with details per field', async () => {
    const res = await send(app, 'POST', '/api/v1/auth/register', {
      body: { email: 'not-an-email', password: 5, name: '' },
    });
    expectEnvelope(res, 400, 'VALIDATION_FAILED');
    const paths = errorOf(res).details?.map((detail) => detail.path);
    expect(paths).toEqual(expect.arrayContaining(['/email', '/password', '/name']));
    for (const detail of errorOf(res).details ?? []) expect(detail.message.length).toBeGreaterThan(0);
  });

  test('a validation message never echoes the value sent', async () => {
    const res = await send(app, 'POST', '/api/v1/auth/login', {
      body: { email: 'a@example.com', password: 'p'.repeat(129) },
    });
    expectEnvelope(res, 400, 'VALIDATION_FAILED');
    expect(res.text).not.toContain('p'.repeat(129));
  });

  test('query and path errors → 400 with the field in details', async () => {
    const query = await send(app, 'GET', '/api/v1/projects?limit=0&status=gone', { token });
    expectEnvelope(query, 400, 'VALIDATION_FAILED');
    expect(errorOf(query).details).toEqual([
      { path: '/limit', message: 'Expected integer to be greater or equal to 1' },
      { path: '/status', message: 'Expected one of: active, archived' },
    ]);
    const params = await send(app, 'GET', '/api/v1/projects/not-an-id', { token });
    expectEnvelope(params, 400, 'VALIDATION_FAILED');
    expect(errorOf(params).details).toEqual([{ path: '/projectId', message: 'Expected a UUIDv7' }]);
  });

  test('malformed JSON (Elysia: plain-text 400) → 400 VALIDATION_FAILED with details', async () => {
    const res = await send(app, 'POST', '/api/v1/auth/login', { body: '{"email": "a@' });
    expectEnvelope(res, 400, 'VALIDATION_FAILED');
    expect(errorOf(res).details).toEqual([{ path: '', message: 'Malformed JSON' }]);
  });

  test('JSON that is not an object, or a field of the wrong type, is refused rather than reshaped', async () => {
    for (const body of ['42', '[]', '"text"']) {
      expectEnvelope(await send(app, 'PATCH', '/api/v1/auth/me', { body, token }), 400, 'VALIDATION_FAILED');
    }
    const res = await send(app, 'POST', '/api/v1/projects', { body: { name: 'P', settings: 'dark' }, token });
    expectEnvelope(res, 400, 'VALIDATION_FAILED');
    expect(errorOf(res).details?.[0]?.path).toBe('/settings');
  });

  test('unknown fields are dropped, not stored', async () => {
    const res = await send(app, 'PATCH', '/api/v1/auth/me', { body: { name: 'New', role: 'admin' }, token });
    expect(res.status).toBe(200);
    expect((res.json as { data: { user: { role: string; name: string } } }).data.user).toMatchObject({
      name: 'New',
      role: 'user',
    });
  });

  test('a body that is not JSON → 415 UNSUPPORTED_MEDIA_TYPE', async () => {
    for (const type of ['application/x-www-form-urlencoded', 'text/plain']) {
      const res = await send(app, 'POST', '/api/v1/auth/login', {
        body: 'email=a%40example.com&password=x',
        headers: { 'content-type': type },
      });
      expectEnvelope(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
    }
  });

  test('a body without a Content-Type → 415; `application/<x>+json` is JSON', async () => {
    const login = JSON.stringify({ email: 'nobody@example.com', password: 'Wrong-Password-1' });
    const untyped = await app.handle(
      new Request('http://zekka.test/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-length': String(login.length) },
        body: login,
      }),
    );
    expect(untyped.status).toBe(415);
    expect(((await untyped.json()) as { error: { code: string } }).error.code).toBe('UNSUPPORTED_MEDIA_TYPE');
    // Parsed, not dropped: the credentials reach the service, which refuses them.
    for (const type of ['application/vnd.api+json', 'application/merge-patch+json; charset=utf-8']) {
      const res = await send(app, 'POST', '/api/v1/auth/login', {
        body: login,
        headers: { 'content-type': type },
      });
      expectEnvelope(res, 401, 'INVALID_CREDENTIALS');
    }
    const malformed = await send(app, 'POST', '/api/v1/auth/login', {
      body: '{"email":',
      headers: { 'content-type': 'application/vnd.api+json' },
    });
    expectEnvelope(malformed, 400, 'VALIDATION_FAILED');
  });

  test('a JSON body over 1 MiB → 413 PAYLOAD_TOO_LARGE, by its length or as it arrives', async () => {
    const big = JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(MAX_JSON_BODY_BYTES) });
    const declared = await send(app, 'POST', '/api/v1/auth/login', {
      body: big,
      headers: { 'content-length': String(big.length) },
    });
    expectEnvelope(declared, 413, 'PAYLOAD_TOO_LARGE');
    // No length: counted while read, and refused before the rest is buffered.
    let pulled = 0;
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 1;
        controller.enqueue(pulled === 1 ? new TextEncoder().encode('{"password":"') : chunk);
      },
    });
    const streamed = await app.handle(
      new Request('http://zekka.test/api/v1/auth/login', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: endless,
      }),
    );
    expect(streamed.status).toBe(413);
    expect(pulled).toBeLessThan(40);
    // Up to the limit a body is read and validated as usual.
    const justUnder = JSON.stringify({ email: 'a@example.com', password: 'x'.repeat(1000) });
    expectEnvelope(
      await send(app, 'POST', '/api/v1/auth/login', {
        body: justUnder,
        headers: { 'content-length': String(justUnder.length) },
      }),
      400,
      'VALIDATION_FAILED',
    );
  });

  test('an unknown route → 404 NOT_FOUND', async () => {
    expectEnvelope(await send(app, 'GET', '/api/v1/nothing-here'), 404, 'NOT_FOUND');
    expectEnvelope(await send(app, 'DELETE', '/health'), 404, 'NOT_FOUND');
  });

  test('a missing or bad credential → 401 with WWW-Authenticate: Bearer', async () => {
    const missing = await send(app, 'GET', '/api/v1/auth/me');
    expectEnvelope(missing, 401, 'AUTH_REQUIRED');
    expect(missing.headers.get('www-authenticate')).toBe('Bearer');
    expectEnvelope(
      await send(app, 'GET', '/api/v1/auth/me', { headers: { authorization: 'Basic abc' } }),
      401,
      'AUTH_REQUIRED',
    );
    expectEnvelope(await send(app, 'GET', '/api/v1/auth/me', { token: 'garbage' }), 401, 'TOKEN_INVALID');
  });
});

describe('errors from the services', () => {
  test('a ZekkaError keeps its code and its status from the one table', async () => {
    const failing = appWithProjectGet(async () => {
      throw new ZekkaError('FORBIDDEN', 'Your role does not allow this action');
    });
    const res = await send(failing, 'GET', `/api/v1/projects/${PROJECT_ID}`, { token });
    expectEnvelope(res, 403, 'FORBIDDEN');
    expect(errorOf(res).message).toBe('Your role does not allow this action');
  });

  test('retryAfterSeconds becomes a whole-seconds Retry-After header', async () => {
    const failing = appWithProjectGet(async () => {
      throw new ZekkaError('ACCOUNT_LOCKED', 'Locked', { retryAfterSeconds: 2.2 });
    });
    const res = await send(failing, 'GET', `/api/v1/projects/${PROJECT_ID}`, { token });
    expectEnvelope(res, 423, 'ACCOUNT_LOCKED');
    expect(res.headers.get('retry-after')).toBe('3');
  });

  test("a store's UNAVAILABLE → 503 in the envelope; the driver's cause is logged as a warning, never sent", async () => {
    const logger = createRecordingLogger();
    const cause = Object.assign(new Error('terminating connection due to administrator command'), {
      code: '57P01',
      severity: 'FATAL',
    });
    const failing = appWithProjectGet(async () => {
      throw new ZekkaError('UNAVAILABLE', 'The database is unavailable', { cause });
    }, logger);
    const res = await send(failing, 'GET', `/api/v1/projects/${PROJECT_ID}`, { token });
    expectEnvelope(res, 503, 'UNAVAILABLE');
    expect(errorOf(res)).toEqual({ code: 'UNAVAILABLE', message: 'The database is unavailable' });
    expect(res.text).not.toContain('57P01');
    expect(res.text).not.toContain('terminating');
    // An outage is operational, not a bug: a warning per request, not an error.
    expect(logger.entries.some((entry) => entry.level === 'error')).toBe(false);
    const logged = logger.entries.find((entry) => entry.level === 'warn')?.fields?.error as Error;
    expect(logged.cause).toBe(cause);
  });

  test('an unknown error → 500 INTERNAL with a generic message, logged with its cause', async () => {
    const logger = createRecordingLogger();
    const failing = appWithProjectGet(async () => {
      throw new Error('SQLITE_CORRUPT at /var/lib/zekka/secret.db', { cause: new Error('disk') });
    }, logger);
    const res = await send(failing, 'GET', `/api/v1/projects/${PROJECT_ID}`, { token });
    expectEnvelope(res, 500, 'INTERNAL');
    expect(res.text).not.toContain('SQLITE');
    expect(res.text).not.toContain('secret.db');
    expect(res.text).not.toContain('stack');
    const entry = logger.entries.find((logged) => logged.level === 'error');
    expect(entry?.fields?.requestId).toBe(res.headers.get('x-request-id') ?? 'missing');
    expect(entry?.fields?.path).toBe(`/api/v1/projects/${PROJECT_ID}`);
    const logged = entry?.fields?.error as Error;
    expect(logged.message).toContain('SQLITE_CORRUPT');
    expect((logged.cause as Error).message).toBe('disk');
  });

  test('an answer that breaks its own response schema is a 500, not a leak', async () => {
    const logger = createRecordingLogger();
    const broken = appWithProjectGet(
      async () => ({ id: PROJECT_ID }) as Awaited<ReturnType<Zekka['projects']['get']>>,
      logger,
    );
    const res = await send(broken, 'GET', `/api/v1/projects/${PROJECT_ID}`, { token });
    expectEnvelope(res, 500, 'INTERNAL');
    expect(logger.entries.some((logged) => logged.level === 'error')).toBe(true);
  });

  test('fields outside the response schema (secrets) never leave the server', async () => {
    const real = await send(app, 'POST', '/api/v1/projects', { body: { name: 'P' }, token });
    const project = (real.json as { data: Record<string, unknown> }).data;
    const leaky = appWithProjectGet(
      async () =>
        ({ ...project, passwordHash: 'argon2id$secret' }) as unknown as Awaited<
          ReturnType<Zekka['projects']['get']>
        >,
    );
    const res = await send(leaky, 'GET', `/api/v1/projects/${String(project.id)}`, { token });
    expect(res.status).toBe(200);
    expect(res.text).not.toContain('argon2id$secret');
  });
});
