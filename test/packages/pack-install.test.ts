/**
 * The packages as a user gets them: `@zekka/core`, `@zekka/adapters` and `@zekka/server` built and packed
 * (`bun scripts/build-packages.ts --pack`, what `bun run release` does), installed from their tarballs into
 * a clean project outside the repository, and used there: an embedding script on SQLite whose migrations
 * must come from the installed `@zekka/adapters`, that script typechecked against the installed
 * declarations, and the installed `zekka` CLI (`migrate`, then `serve` answering /health and /ready and
 * exiting 0 on SIGTERM).
 *
 * Third-party dependencies come from the npm registry: when it is unreachable the file skips and says why,
 * except with CI=true, where it runs and fails.
 */
import { Database } from 'bun:sqlite';
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { postgresTestTarget } from '@zekka/adapters/conformance';
import { startZekkaServe } from '../support/zekka-serve.ts';
import type { EmbedReport } from './fixtures/embed-consumer.ts';
import {
  installConsumer,
  REGISTRY,
  REPO_ROOT,
  registryReachable,
  run,
  runOrThrow,
  writeConsumerTsconfig,
} from './support/consumer-project.ts';

const PUBLISHED = ['@zekka/core', '@zekka/adapters', '@zekka/server'] as const;
const skip = !(await registryReachable()) && process.env.CI !== 'true';
if (skip) console.warn(`test/packages skipped: the npm registry (${REGISTRY}) is unreachable`);

let work = '';
let consumer = '';
const tarballs: Record<string, string> = {};

/** The consumer's environment for the CLI: its own SQLite file and data folder, no Redis from the host. */
const cliEnv = (name: string) => ({
  ...process.env,
  DATABASE_URL: `sqlite:${join(work, `${name}.db`)}`,
  DATA_DIR: join(work, `${name}-data`),
  REDIS_URL: undefined,
  NODE_ENV: undefined,
});

const sqlFiles = (folder: string) => readdirSync(folder).filter((file) => file.endsWith('.sql'));
const installed = (name: string, ...path: string[]) => join(consumer, 'node_modules', name, ...path);

beforeAll(
  async () => {
    if (skip) return;
    work = mkdtempSync(join(tmpdir(), 'zekka-pack-install-'));
    const started = performance.now();
    const build = await runOrThrow(
      [process.execPath, 'scripts/build-packages.ts', '--pack', join(work, 'tarballs')],
      { cwd: REPO_ROOT },
    );
    for (const [, name, tarball] of build.stdout.matchAll(/^packed (\S+): (.+\.tgz)$/gm)) {
      if (name !== undefined && tarball !== undefined) tarballs[name] = tarball;
    }
    const packedMs = performance.now() - started;
    consumer = join(work, 'consumer');
    // pg and ioredis are the optional peers a Postgres or Redis user adds; @types/bun a TypeScript user.
    await installConsumer(consumer, { tarballs, add: ['pg', 'ioredis', '@types/bun'] });
    copyFileSync(join(import.meta.dir, 'fixtures', 'embed-consumer.ts'), join(consumer, 'embed-consumer.ts'));
    writeConsumerTsconfig(consumer, ['embed-consumer.ts']);
    console.log(
      `test/packages: built and packed in ${(packedMs / 1000).toFixed(1)} s, installed in ` +
        `${((performance.now() - started - packedMs) / 1000).toFixed(1)} s, in ${consumer}`,
    );
  },
  { timeout: 240_000 },
);
afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

describe.skipIf(skip)('the packed packages, installed in a clean project outside the repository', () => {
  test('one tarball per package', () => {
    expect(Object.keys(tarballs).sort()).toEqual([...PUBLISHED].sort());
    expect(consumer.startsWith(REPO_ROOT)).toBe(false);
  });

  test.each(PUBLISHED)('%s publishes dist/ and a manifest that points only into it', (name) => {
    const manifest = JSON.parse(readFileSync(installed(name, 'package.json'), 'utf8')) as {
      version: string;
      exports: Record<string, Record<string, string>>;
      bin?: Record<string, string>;
      files: string[];
      sideEffects: boolean;
      engines: Record<string, string>;
      dependencies: Record<string, string>;
      scripts?: unknown;
      devDependencies?: unknown;
    };
    expect(existsSync(installed(name, 'src'))).toBe(false);
    expect(manifest).toMatchObject({ files: ['dist'], sideEffects: false, engines: { bun: '>=1.4.0' } });
    expect(manifest.scripts).toBeUndefined();
    expect(manifest.devDependencies).toBeUndefined();
    const targets = [
      ...Object.values(manifest.exports).flatMap((conditions) => Object.values(conditions)),
      ...Object.values(manifest.bin ?? {}),
    ];
    expect(targets.length).toBeGreaterThan(0);
    for (const target of targets) {
      expect(target).toStartWith('./dist/');
      expect(existsSync(installed(name, target))).toBe(true);
    }
    for (const conditions of Object.values(manifest.exports)) {
      expect(Object.keys(conditions)).toEqual(['types', 'bun', 'import']);
      expect(conditions.types).toEndWith('.d.ts');
    }
    for (const [dependency, version] of Object.entries(manifest.dependencies)) {
      expect(version).not.toMatch(/^(workspace|catalog):/);
      if (dependency.startsWith('@zekka/')) expect(version).toBe(manifest.version);
    }
  });

  test('@zekka/server has the zekka bin with a Bun shebang; the drivers are optional peers', () => {
    const server = JSON.parse(readFileSync(installed('@zekka/server', 'package.json'), 'utf8'));
    expect(server.bin).toEqual({ zekka: './dist/cli.js' });
    expect(readFileSync(installed('@zekka/server', 'dist', 'cli.js'), 'utf8')).toStartWith(
      '#!/usr/bin/env bun\n',
    );
    const adapters = JSON.parse(readFileSync(installed('@zekka/adapters', 'package.json'), 'utf8'));
    expect(adapters.peerDependenciesMeta).toEqual({ pg: { optional: true }, ioredis: { optional: true } });
  });

  test('@zekka/adapters carries every SQL migration of both dialects', () => {
    for (const dialect of ['sqlite', 'postgres']) {
      const packaged = installed('@zekka/adapters', 'dist', 'migrations', dialect);
      expect(sqlFiles(packaged)).toEqual(sqlFiles(join(REPO_ROOT, 'migrations', dialect)));
      expect(existsSync(join(packaged, 'meta', '_journal.json'))).toBe(true);
    }
  });

  test('an embedding script runs on SQLite, with the migrations inside the installed package', async () => {
    const result = await runOrThrow([process.execPath, 'embed-consumer.ts', join(work, 'embedded.db')], {
      cwd: consumer,
    });
    const report = JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '{}') as EmbedReport;
    expect(report).toEqual({
      migrationsFolder: installed('@zekka/adapters', 'dist', 'migrations', 'sqlite'),
      email: 'ada@example.com',
      projects: ['From the tarball'],
      answer: 'Echo: hello from npm',
      status: 'complete',
      badEmailCode: 'VALIDATION_FAILED',
    });
  });

  test(
    'the embedding script typechecks against the installed declarations',
    async () => {
      const tsc = await run([join(REPO_ROOT, 'node_modules', '.bin', 'tsc'), '-p', 'tsconfig.json'], {
        cwd: consumer,
      });
      // skipLibCheck is off so that our declarations are checked; the errors some third-party declarations
      // have under a strict consumer (drizzle's other dialects, the AI SDK's json-schema) are theirs.
      const ours = tsc.stdout
        .split('\n')
        .filter((line) => /^(embed-consumer\.ts|node_modules\/@zekka\/)/.test(line));
      expect(ours).toEqual([]);
    },
    { timeout: 60_000 },
  );

  test('`bunx zekka migrate` applies the packaged SQLite migrations', async () => {
    const env = cliEnv('migrate');
    const result = await run([process.execPath, 'x', 'zekka', 'migrate'], { cwd: consumer, env });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(result.stdout.trim()).toBe(`Migrations applied to ${env.DATABASE_URL}`);
    const database = new Database(join(work, 'migrate.db'), { readonly: true });
    try {
      const row = database.query<{ n: number }, []>('SELECT count(*) AS n FROM __drizzle_migrations').get();
      expect(row?.n).toBe(sqlFiles(join(REPO_ROOT, 'migrations', 'sqlite')).length);
    } finally {
      database.close();
    }
  });

  test(
    '`zekka serve` answers /health and /ready, then exits 0 on SIGTERM',
    async () => {
      const server = await startZekkaServe({
        cmd: [installed('.bin', 'zekka'), 'serve'],
        cwd: consumer,
        env: cliEnv('serve'),
      });
      try {
        const health = await fetch(`${server.url}/health`);
        expect(health.status).toBe(200);
        expect(await health.json()).toMatchObject({ status: 'ok', version: expect.any(String) });
        expect((await fetch(`${server.url}/ready`)).status).toBe(200);
        expect(await server.stop()).toBe(0);
        expect(server.output()).toContain('"msg":"stopped"');
      } finally {
        server.kill();
      }
    },
    { timeout: 60_000 },
  );

  describe('with the optional peers installed', () => {
    const target = postgresTestTarget();

    test('every subpath export of every package loads', async () => {
      const subpaths = PUBLISHED.flatMap((name) => {
        const manifest = JSON.parse(readFileSync(installed(name, 'package.json'), 'utf8'));
        return Object.keys(manifest.exports).map((subpath) =>
          subpath === '.' ? name : `${name}/${subpath.slice(2)}`,
        );
      });
      const script = `for (const name of ${JSON.stringify(subpaths)}) console.log(name, Object.keys(await import(name)).length);`;
      const result = await runOrThrow([process.execPath, '-e', script], { cwd: consumer });
      const loaded = result.stdout
        .trim()
        .split('\n')
        .map((line) => line.split(' '));
      expect(loaded.map(([name]) => name)).toEqual(subpaths);
      for (const [name, exported] of loaded)
        expect({ name, exported: Number(exported) > 0 }).toEqual({ name, exported: true });
      expect(subpaths).toContain('@zekka/adapters/redis');
    });

    test('@zekka/adapters/postgres finds its packaged migrations', async () => {
      const result = await runOrThrow(
        [
          process.execPath,
          '-e',
          "console.log((await import('@zekka/adapters/postgres')).DEFAULT_POSTGRES_MIGRATIONS_FOLDER)",
        ],
        { cwd: consumer },
      );
      expect(result.stdout.trim()).toBe(installed('@zekka/adapters', 'dist', 'migrations', 'postgres'));
    });

    test.skipIf(target === null)('`zekka migrate` applies them all to a Postgres schema', async () => {
      if (target === null) throw new Error('unreachable: skipped without Postgres');
      const { schema, drop } = await target.createSchema();
      try {
        const result = await run([process.execPath, 'x', 'zekka', 'migrate'], {
          cwd: consumer,
          env: { ...cliEnv('postgres'), DATABASE_URL: target.url, DATABASE_SCHEMA: schema },
        });
        const count = sqlFiles(join(REPO_ROOT, 'migrations', 'postgres')).length;
        expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
        expect(result.stdout).toContain(`Applied ${count} migrations to `);
      } finally {
        await drop();
      }
    });
  });
});
