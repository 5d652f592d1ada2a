/**
 * The HTTP contract suite (`test/http/**`) once more, against servers on Postgres.
 *
 * How: `bun test` runs every file of a run in one process, and the suite's files build their servers with
 * `createTestServer()` at module level; there is no per-run hook to hand them another store. So this file
 * runs the suite as a child `bun test <test/http>` with `ZEKKA_TEST_STORE=postgres`, which the suite's
 * `test-store.ts` reads to give each test server a fresh Postgres schema (dropped on close). The child
 * gets the same `DATABASE_URL`, so it finds the same database through `postgresTestTarget()`, and a file
 * added under `test/http` is covered here without being listed. The child's exit code decides; its counts
 * are printed, so the run's log shows how much of the contract ran on Postgres.
 */
import { describe, expect, test } from 'bun:test';
import { join } from 'node:path';
import { postgresTestTarget } from '@zekka/adapters/conformance';
import { TEST_STORE_VARIABLE } from '../http/support/test-store.ts';

const target = postgresTestTarget();
const HTTP_SUITE = join(import.meta.dir, '..', 'http');
const REPO_ROOT = join(import.meta.dir, '..', '..', '..', '..');

/** The totals from bun test's closing lines (` 268 pass`, ` 0 fail`, `Ran 268 tests across 12 files.`). */
function countsOf(output: string): { pass: number; fail: number; files: number } {
  const number = (pattern: RegExp): number => Number(pattern.exec(output)?.[1] ?? Number.NaN);
  return {
    pass: number(/^\s*(\d+) pass$/m),
    fail: number(/^\s*(\d+) fail$/m),
    files: number(/^Ran \d+ tests? across (\d+) files?\./m),
  };
}

describe.skipIf(target === null)('the HTTP contract suite on Postgres', () => {
  test(
    'every file under test/http passes against servers on Postgres',
    async () => {
      const child = Bun.spawn({
        cmd: [process.execPath, 'test', HTTP_SUITE],
        cwd: REPO_ROOT,
        env: { ...process.env, [TEST_STORE_VARIABLE]: 'postgres' },
        stdout: 'pipe',
        stderr: 'pipe',
      });
      const [stdout, stderr, code] = await Promise.all([
        new Response(child.stdout).text(),
        new Response(child.stderr).text(),
        child.exited,
      ]);
      const output = `${stdout}\n${stderr}`;
      const counts = countsOf(output);
      console.log(
        `HTTP suite on Postgres: ${counts.pass} pass, ${counts.fail} fail, across ${counts.files} files`,
      );
      if (code !== 0) {
        // The failing tests' own reports, so the parent run's log says what broke.
        console.error(
          output
            .split('\n')
            .filter((line) => !line.startsWith('(pass)'))
            .join('\n'),
        );
      }
      expect(code).toBe(0);
      expect(counts.fail).toBe(0);
      // A child that found fewer files than there are (a moved folder, a bad path) must not pass.
      expect(counts.files).toBe(Array.from(new Bun.Glob('**/*.test.ts').scanSync(HTTP_SUITE)).length);
      expect(counts.pass).toBeGreaterThan(0);
    },
    10 * 60_000,
  );
});
