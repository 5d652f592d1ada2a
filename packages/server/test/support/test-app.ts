/**
 * @module test/support/test-app
 * The server over real core services (in-memory SQLite, memory cache and bus, Bun's hasher), driven in
 * process with `app.handle(new Request(...))`, plus a logger that keeps what it is given.
 */
import { createBunPasswordHasher } from '@zekka/adapters/bun';
import { createMemoryCache, createMemoryEventBus } from '@zekka/adapters/memory';
import { createModelRegistry } from '@zekka/adapters/models';
import { createSqliteStore } from '@zekka/adapters/sqlite';
import { createZekka, type LogFields, type Logger, silentLogger, type Zekka } from '@zekka/core';
import { createServer, type ServerOptions } from '../../src/index.ts';

export const TEST_JWT_SECRET = 'server-test-secret-that-is-at-least-32-bytes';
export const PASSWORD = 'correct-Horse-battery-9';
export const BASE = 'http://zekka.test';

export function createTestZekka(): Zekka {
  return createZekka({
    store: createSqliteStore({ url: 'sqlite::memory:' }),
    cache: createMemoryCache(),
    bus: createMemoryEventBus(),
    passwordHasher: createBunPasswordHasher(),
    models: createModelRegistry(),
    logger: silentLogger,
    config: { auth: { jwtSecret: TEST_JWT_SECRET } },
  });
}

export interface LogEntry {
  level: keyof Logger;
  message: string;
  fields: LogFields | undefined;
}

/** A logger that records every entry. */
export function createRecordingLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const record =
    (level: keyof Logger) =>
    (message: string, fields?: LogFields): void => {
      entries.push({ level, message, fields });
    };
  return {
    entries,
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
}

export type TestApp = ReturnType<typeof createServer>;

/** The app with rate limits off unless `options` turns them on. */
export function createTestApp(zekka: Zekka, options: ServerOptions = {}): TestApp {
  return createServer(zekka, { rateLimit: false, logger: silentLogger, ...options });
}

export interface SendOptions {
  /** JSON-encoded unless a string (sent as is). */
  body?: unknown;
  token?: string;
  headers?: Record<string, string>;
}

export interface Sent {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export async function send(
  app: TestApp,
  method: string,
  path: string,
  options: SendOptions = {},
): Promise<Sent> {
  const headers = new Headers();
  if (options.body !== undefined) headers.set('content-type', 'application/json');
  if (options.token !== undefined) headers.set('authorization', `Bearer ${options.token}`);
  for (const [name, value] of Object.entries(options.headers ?? {})) headers.set(name, value);
  const body =
    options.body === undefined
      ? undefined
      : typeof options.body === 'string'
        ? options.body
        : JSON.stringify(options.body);
  const response = await app.handle(new Request(`${BASE}${path}`, { method, headers, body }));
  const text = await response.text();
  let json: unknown;
  try {
    json = text === '' ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Registers a fresh user over HTTP and returns its access token and id. */
export async function registerUser(app: TestApp, headers: Record<string, string> = {}) {
  const res = await send(app, 'POST', '/api/v1/auth/register', {
    body: { email: `user-${crypto.randomUUID()}@example.com`, password: PASSWORD, name: 'Test User' },
    headers,
  });
  if (res.status !== 201) throw new Error(`register answered ${res.status}: ${res.text}`);
  const data = (res.json as { data: { accessToken: string; user: { id: string } } }).data;
  return { token: data.accessToken, userId: data.user.id };
}

/** The error envelope's parts, for assertions. */
export function errorOf(res: Sent): {
  code: string;
  message: string;
  details?: { path: string; message: string }[];
} {
  return (
    res.json as { error: { code: string; message: string; details?: { path: string; message: string }[] } }
  ).error;
}

export function requestIdOf(res: Sent): unknown {
  return (res.json as { requestId?: unknown } | undefined)?.requestId;
}
