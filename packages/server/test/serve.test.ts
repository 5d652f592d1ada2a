/**
 * The standalone server on a real socket: it listens, says where, and shuts down gracefully — `/ready`
 * fails first, in-flight requests finish, then nothing is accepted.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config.ts';
import { startServer } from '../src/serve.ts';
import { createRecordingLogger, PASSWORD } from './support/test-app.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zekka-serve-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const configFor = (overrides: Record<string, string> = {}) =>
  loadConfig({ DATA_DIR: dir, DATABASE_URL: 'sqlite::memory:', HOST: '127.0.0.1', PORT: '0', ...overrides });

describe('startServer', () => {
  test('listens, logs one line with its URL, and serves the API', async () => {
    const logger = createRecordingLogger();
    const server = await startServer(configFor(), { logger, handleSignals: false });
    try {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
      const listening = logger.entries.filter((entry) => entry.message.startsWith('listening on'));
      expect(listening.map((entry) => entry.message)).toEqual([`listening on ${server.url}`]);
      const res = await fetch(`${server.url}/health`);
      expect(res.status).toBe(200);
      expect(res.headers.get('x-request-id')).toBeTruthy();
    } finally {
      await server.stop();
    }
  });

  test('config warnings (a generated JWT secret) are logged at start', async () => {
    const logger = createRecordingLogger();
    const server = await startServer(configFor(), { logger, handleSignals: false });
    await server.stop();
    expect(
      logger.entries.some((entry) => entry.level === 'warn' && entry.message.includes('JWT_SECRET')),
    ).toBe(true);
  });

  test('stop(): /ready fails while draining, in-flight requests finish, then nothing is accepted', async () => {
    const server = await startServer(configFor(), {
      logger: createRecordingLogger(),
      handleSignals: false,
      drainDelayMs: 300,
    });
    // Registration hashes a password (argon2id): slow enough to still be running when stop() begins.
    const inFlight = fetch(`${server.url}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'drain@example.com', password: PASSWORD, name: 'Drain' }),
    });
    await Bun.sleep(10);
    const stopped = server.stop();
    const ready = await fetch(`${server.url}/ready`);
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { error: { code: string } }).error.code).toBe('UNAVAILABLE');
    expect((await inFlight).status).toBe(201);
    await stopped;
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
    expect(server.stop()).toBe(stopped);
  });

  test('a port already in use fails the start', async () => {
    const first = await startServer(configFor(), { logger: createRecordingLogger(), handleSignals: false });
    try {
      await expect(
        startServer(configFor({ PORT: String(first.port) }), {
          logger: createRecordingLogger(),
          handleSignals: false,
        }),
      ).rejects.toThrow();
    } finally {
      await first.stop();
    }
  });
});

describe('zekka serve', () => {
  test('runs until SIGTERM, then exits 0', async () => {
    const child = Bun.spawn({
      cmd: [process.execPath, join(import.meta.dir, '..', 'src', 'cli.ts'), 'serve'],
      env: {
        ...process.env,
        DATA_DIR: dir,
        DATABASE_URL: `sqlite:${join(dir, 'serve.db')}`,
        PORT: '0',
        HOST: '127.0.0.1',
      },
      stdout: 'pipe',
      stderr: 'pipe',
    });
    const reader = child.stdout.getReader();
    let output = '';
    const deadline = Date.now() + 15_000;
    while (!/listening on (http:\/\/[^"\s]+)"/.test(output) && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      output += new TextDecoder().decode(value);
    }
    const url = /listening on (http:\/\/[^"\s]+)"/.exec(output)?.[1];
    expect(url).toBeDefined();
    expect((await fetch(`${url}/ready`)).status).toBe(200);
    child.kill('SIGTERM');
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      output += new TextDecoder().decode(value);
    }
    expect(await child.exited).toBe(0);
    const entries = output
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toContainEqual(expect.objectContaining({ msg: 'shutting down', signal: 'SIGTERM' }));
    expect(entries).toContainEqual(expect.objectContaining({ msg: 'stopped' }));
  });
});
