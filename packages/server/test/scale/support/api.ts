/** JSON calls against a running `zekka serve` for the scale tests. */
import { expect } from 'bun:test';

export const PASSWORD = 'Quiet-Lantern-42!';

export interface Answer {
  status: number;
  headers: Headers;
  body: { data?: unknown; error?: { code: string } } & Record<string, unknown>;
}

/** A distinct client address per call site (the servers run with `TRUST_PROXY=true`). */
export const randomIp = () =>
  `10.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250) + 1}`;

export async function call(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'x-forwarded-for': randomIp(), ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

export async function register(baseUrl: string): Promise<{ token: string; email: string }> {
  const email = `scale-${crypto.randomUUID()}@example.test`;
  const answer = await call(baseUrl, 'POST', '/api/v1/auth/register', {
    body: { email, password: PASSWORD, name: 'Scale' },
  });
  expect(answer.status).toBe(201);
  return { token: (answer.body.data as { accessToken: string }).accessToken, email };
}

export async function createProject(baseUrl: string, token: string): Promise<string> {
  const answer = await call(baseUrl, 'POST', '/api/v1/projects', { token, body: { name: 'Scale' } });
  expect(answer.status).toBe(201);
  return (answer.body.data as { id: string }).id;
}

export async function createConversation(baseUrl: string, token: string, projectId: string): Promise<string> {
  const answer = await call(baseUrl, 'POST', '/api/v1/conversations', {
    token,
    body: { projectId, title: 'Scale' },
  });
  expect(answer.status).toBe(201);
  return (answer.body.data as { id: string }).id;
}

/** Opens `POST …/messages/stream`; throws unless it answers 200. */
export async function openStream(
  baseUrl: string,
  token: string,
  conversationId: string,
  content: string,
  signal?: AbortSignal,
): Promise<Response> {
  const response = await fetch(`${baseUrl}/api/v1/conversations/${conversationId}/messages/stream`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
      'x-forwarded-for': randomIp(),
    },
    body: JSON.stringify({ content }),
    ...(signal ? { signal } : {}),
  });
  if (response.status !== 200)
    throw new Error(`stream answered ${response.status}: ${await response.text()}`);
  return response;
}

export const words = (n: number) => Array.from({ length: n }, (_, i) => `w${i}`).join(' ');

/** Retries `check` until it passes or `timeoutMs` runs out (then throws its last failure). */
export async function eventually(check: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (true) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await Bun.sleep(100);
    }
  }
}
