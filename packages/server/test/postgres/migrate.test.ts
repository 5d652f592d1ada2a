/**
 * `zekka migrate` on Postgres through the CLI, as an operator (or an init container) runs it: on an empty
 * schema it applies every migration, on an up-to-date one it does nothing, and two at once both succeed
 * with the migrations applied once (the adapter holds an advisory lock while it migrates).
 */
import { afterAll, describe, expect, test } from 'bun:test';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { postgresTestTarget } from '@zekka/adapters/conformance';
import { CLI } from './support/server-process.ts';

const target = postgresTestTarget();
const MIGRATIONS = join(import.meta.dir, '..', '..', '..', '..', 'migrations', 'postgres');
const PASSWORD = 'Quiet-Lantern-42!';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function zekka(args: string[], env: Record<string, string>, stdin?: string): Promise<Run> {
  const child = Bun.spawn({
    cmd: [process.execPath, CLI, ...args],
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdin: stdin === undefined ? 'ignore' : new Blob([stdin]),
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

/** How many migrations the line printed by `zekka migrate` says it applied. */
function appliedBy(run: Run): number {
  const line = run.stdout.trim();
  if (line.startsWith('No pending migrations:')) return 0;
  const applied = /^Applied (\d+) migrations? to /.exec(line)?.[1];
  if (applied === undefined) throw new Error(`unexpected output: ${JSON.stringify(run)}`);
  return Number(applied);
}

describe.skipIf(target === null)('zekka migrate on Postgres', () => {
  const drops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const drop of drops) await drop().catch(() => {});
  });

  /** The environment for the CLI on a fresh, empty schema. */
  async function freshSchema(): Promise<Record<string, string>> {
    if (target === null) throw new Error('unreachable: the suite is skipped without Postgres');
    const { schema, drop } = await target.createSchema();
    drops.push(drop);
    return {
      DATABASE_URL: target.url,
      DATABASE_SCHEMA: schema,
      JWT_SECRET: 'migrate-test-secret-of-32-bytes-long!',
    };
  }

  const migrationCount = readdirSync(MIGRATIONS).filter((name) => name.endsWith('.sql')).length;

  test('an empty schema gets every migration; a second run is a no-op', async () => {
    const env = await freshSchema();
    const first = await zekka(['migrate'], env);
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(migrationCount).toBeGreaterThan(0);
    expect(appliedBy(first)).toBe(migrationCount);
    expect(first.stdout).toContain(`(schema "${env.DATABASE_SCHEMA}")`);

    const second = await zekka(['migrate'], env);
    expect(second).toMatchObject({ code: 0, stderr: '' });
    expect(second.stdout.trim()).toStartWith('No pending migrations:');
    expect(appliedBy(second)).toBe(0);

    // The migrated schema is usable: the CLI creates a user in it through the Postgres store.
    const created = await zekka(
      ['user', 'create', '--email', 'pg@example.test', '--name', 'Pg'],
      env,
      PASSWORD,
    );
    expect(created.stderr).toBe('');
    expect(created.stdout.trim()).toMatch(/^Created user pg@example\.test \(/);
  });

  test('two at once on an empty schema: both exit 0, the migrations are applied once', async () => {
    const env = await freshSchema();
    const runs = await Promise.all([zekka(['migrate'], env), zekka(['migrate'], env)]);
    for (const run of runs) expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(runs.map(appliedBy).sort((a, b) => a - b)).toEqual([0, migrationCount]);
    expect(appliedBy(await zekka(['migrate'], env))).toBe(0);
  });
});
