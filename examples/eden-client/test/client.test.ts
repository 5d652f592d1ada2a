/**
 * Runs the Eden client example against a real Zekka server: listening on a free port (the script's own
 * path, `fetch` over HTTP) and in process (treaty over the app instance).
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import type { App } from '@zekka/server';
import { connect, runDemo, unwrap, ZekkaRequestError } from '../src/client.ts';
import { type LocalServer, startLocalServer } from './support/local-server.ts';

const PASSWORD = 'Typed-Client-2024!';
const account = (label: string) => ({
  email: `${label}.${crypto.randomUUID().slice(0, 8)}@example.com`,
  password: PASSWORD,
  name: `Eden ${label}`,
});

let server: LocalServer;
let app: App;
let url: string;
beforeAll(() => {
  server = startLocalServer();
  ({ app, url } = server);
});
afterAll(() => server.stop());

describe('the Eden client example', () => {
  test.concurrent('over HTTP: register, login, create a project, list projects', async () => {
    const input = account('http');
    const result = await runDemo(url, input, 'Over HTTP');
    expect(result.user).toMatchObject({ email: input.email, name: input.name, role: 'user' });
    expect(result.registeredUser.id).toBe(result.user.id);
    expect(result.project).toMatchObject({
      name: 'Over HTTP',
      status: 'active',
      role: 'owner',
      ownerId: result.user.id,
    });
    expect(result.projects.map((p) => p.id)).toEqual([result.project.id]);
    expect(result.total).toBe(1);
  });

  test.concurrent('in process: treaty over the app instance gives the same results', async () => {
    const result = await runDemo(app, account('inprocess'), 'In process');
    expect(result.project).toMatchObject({ name: 'In process', role: 'owner' });
    expect(result.projects).toHaveLength(1);
  });

  test.concurrent('an error answer becomes a ZekkaRequestError with the contract code', async () => {
    const input = account('dup');
    await runDemo(url, input);
    const again = unwrap(connect(url).api.v1.auth.register.post(input));
    await expect(again).rejects.toBeInstanceOf(ZekkaRequestError);
    await expect(again).rejects.toMatchObject({ status: 409, code: 'CONFLICT' });
    const anonymous = unwrap(connect(url).api.v1.projects.get({ query: {} }));
    await expect(anonymous).rejects.toMatchObject({ status: 401, code: 'AUTH_REQUIRED' });
  });

  test('the script reads ZEKKA_URL and prints what it did', async () => {
    const child = Bun.spawn(['bun', new URL('../src/client.ts', import.meta.url).pathname], {
      env: { ...process.env, ZEKKA_URL: url },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const [stdout, stderr, exitCode] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
      child.exited,
    ]);
    expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(stdout).toMatch(/^signed in as eden\.[0-9a-f]{8}@example\.com/);
    expect(stdout).toContain('created project Eden demo');
    expect(stdout).toContain('role owner');
    expect(stdout).toContain('1 project(s): Eden demo');
  });
});
