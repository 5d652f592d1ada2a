/**
 * The `zekka` CLI as a user runs it: a separate `bun src/cli.ts` process on a temporary database.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildZekka } from '../src/bootstrap.ts';
import { loadConfig } from '../src/config.ts';
import { PASSWORD } from './support/test-app.ts';

const CLI = join(import.meta.dir, '..', 'src', 'cli.ts');
let dir: string;
let env: Record<string, string>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'zekka-cli-'));
  env = { DATA_DIR: dir, DATABASE_URL: `sqlite:${join(dir, 'cli.db')}`, LOG_LEVEL: 'warn' };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function zekkaCli(
  args: string[],
  options: { stdin?: string; env?: Record<string, string> } = {},
): Promise<Run> {
  const child = Bun.spawn({
    cmd: [process.execPath, CLI, ...args],
    env: { ...process.env, ...env, ...options.env },
    stdin: options.stdin === undefined ? 'ignore' : new Blob([options.stdin]),
    stdout: 'pipe',
    stderr: 'pipe',
  });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  return { code, stdout, stderr };
}

/** Signs in with the core services over the same database, as the server would. */
async function login(email: string, password: string) {
  const zekka = await buildZekka(loadConfig({ ...env }), {
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  try {
    return await zekka.auth.login({ email, password });
  } finally {
    await zekka.close();
  }
}

describe('zekka migrate', () => {
  test('applies the migrations to DATABASE_URL and exits 0', async () => {
    const run = await zekkaCli(['migrate']);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain('Migrations applied');
    expect(existsSync(join(dir, 'cli.db'))).toBe(true);
  });
});

describe('zekka user create', () => {
  test('reads the password from stdin and creates an admin who can sign in with it', async () => {
    const run = await zekkaCli(
      ['user', 'create', '--email', 'admin@example.com', '--name', 'Admin', '--admin'],
      {
        stdin: `${PASSWORD}\n`,
      },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^Created admin admin@example\.com \([0-9a-f-]{36}\)$/);
    const signedIn = await login('admin@example.com', PASSWORD);
    expect(signedIn.user.role).toBe('admin');
  });

  test('without --admin the user is a plain user', async () => {
    const run = await zekkaCli(['user', 'create', '--email', 'plain@example.com', '--name', 'Plain'], {
      stdin: PASSWORD,
    });
    expect(run.code).toBe(0);
    expect((await login('plain@example.com', PASSWORD)).user.role).toBe('user');
  });

  test('refuses --password in any form, and creates nothing', async () => {
    for (const args of [['--password', PASSWORD], [`--password=${PASSWORD}`]]) {
      const run = await zekkaCli(['user', 'create', '--email', 'pw@example.com', '--name', 'P', ...args], {
        stdin: PASSWORD,
      });
      expect(run.code).not.toBe(0);
      expect(run.stderr).toContain('--password is not accepted');
      expect(run.stderr).not.toContain(PASSWORD);
    }
    await expect(login('pw@example.com', PASSWORD)).rejects.toMatchObject({ code: 'INVALID_CREDENTIALS' });
  });

  test('a password the policy refuses fails with one clear line', async () => {
    const run = await zekkaCli(['user', 'create', '--email', 'weak@example.com', '--name', 'W'], {
      stdin: 'short\n',
    });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toContain('password');
  });

  test('an address already taken fails with one clear line', async () => {
    const run = await zekkaCli(['user', 'create', '--email', 'admin@example.com', '--name', 'Again'], {
      stdin: PASSWORD,
    });
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('zekka: An account with this e-mail address already exists');
  });

  test('no password on stdin, or a missing option, is an error', async () => {
    expect(
      (await zekkaCli(['user', 'create', '--email', 'x@example.com', '--name', 'X'], { stdin: '' })).code,
    ).toBe(1);
    const missing = await zekkaCli(['user', 'create', '--email', 'x@example.com'], { stdin: PASSWORD });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('--email and --name are required');
  });
});

describe('failures', () => {
  test('a bad configuration prints each problem on its own line and exits 1', async () => {
    const run = await zekkaCli(['migrate'], { env: { PORT: 'abc', LOG_LEVEL: 'loud' } });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      'Invalid configuration:',
      '  PORT: must be an integer from 0 to 65535 (got "abc")',
      '  LOG_LEVEL: must be one of debug, info, warn, error',
    ]);
  });

  test('an unknown command fails with one line pointing at the usage', async () => {
    const run = await zekkaCli(['launch']);
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe('zekka: unknown command "launch" (see "zekka help")');
    const help = await zekkaCli(['help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('zekka user create --email <email> --name <name> [--admin]');
  });
});
