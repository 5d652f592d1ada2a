import { Database } from 'bun:sqlite';
import { afterAll, expect, test } from 'bun:test';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { givenConversation, makeMessage } from '../src/conformance/store/fixtures.ts';
import { WalCheckpointer } from '../src/sqlite/checkpointer.ts';
import { GroupCommit } from '../src/sqlite/group-commit.ts';
import { createSqliteStore } from '../src/sqlite/index.ts';

const dir = mkdtempSync(join(tmpdir(), 'zekka-checkpointer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

/** A WAL database whose own connection never checkpoints: only the worker moves pages into the file. */
function walDatabase() {
  const path = join(dir, `db-${++files}.sqlite`);
  const client = new Database(path, { create: true, readwrite: true });
  client.run('PRAGMA journal_mode = WAL');
  client.run('PRAGMA wal_autocheckpoint = 0');
  client.run('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  const insert = client.prepare('INSERT INTO t (v) VALUES (?1)');
  const write = (n: number) =>
    client.transaction(() => {
      for (let i = 0; i < n; i++) insert.run(`row ${i} ${'x'.repeat(200)}`);
    })();
  return { path, client, write };
}

/** Rows in the database file alone, as a copy without its log would show them. */
function rowsInFile(path: string): number {
  const copy = `${path}.copy-${++files}`;
  copyFileSync(path, copy);
  const db = new Database(copy, { readonly: true });
  try {
    const table = db.query("SELECT 1 FROM sqlite_master WHERE name = 't'").get();
    return table === null ? 0 : (db.query('SELECT count(*) AS n FROM t').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

async function eventually(check: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !check(); i++) await Bun.sleep(10);
  expect(check()).toBe(true);
}

test('a checkpoint asked for copies every committed page into the file, from the worker', async () => {
  const { path, client, write } = walDatabase();
  const checkpointer = new WalCheckpointer({ path, busyTimeoutMs: 5000 });
  write(300);
  expect(rowsInFile(path)).toBe(0); // all of it is still in the log
  const result = await checkpointer.checkpoint();
  expect(result).not.toBeNull();
  expect(result?.log).toBeGreaterThan(0);
  expect(result?.checkpointed).toBe(result?.log as number);
  expect(rowsInFile(path)).toBe(300);
  await checkpointer.close();
  client.close();
});

test('commits lead to a checkpoint without anyone asking, commits during one to another after it', async () => {
  const { path, client, write } = walDatabase();
  const checkpointer = new WalCheckpointer({ path, busyTimeoutMs: 5000, minIntervalMs: 5 });
  const commits = new GroupCommit(client, () => checkpointer.committed());
  let total = 0;
  for (let round = 0; round < 20; round++) {
    await commits.run(() => write(25));
    total += 25;
  }
  await eventually(() => rowsInFile(path) === total);
  await checkpointer.close();
  client.close();
});

test('a worker that cannot open the database fails once, quietly: the store falls back on its own', async () => {
  let failures = 0;
  const checkpointer = new WalCheckpointer({
    path: join(dir, 'missing', 'nowhere.sqlite'),
    busyTimeoutMs: 100,
    onFailure: () => failures++,
  });
  await eventually(() => failures === 1);
  expect(await checkpointer.checkpoint()).toBeNull();
  checkpointer.committed();
  await checkpointer.close();
  expect(failures).toBe(1);
});

test('close waits for the worker; afterwards nothing is checkpointed any more', async () => {
  const { path, client, write } = walDatabase();
  const checkpointer = new WalCheckpointer({ path, busyTimeoutMs: 5000 });
  write(10);
  const running = checkpointer.checkpoint();
  await checkpointer.close();
  await checkpointer.close(); // twice is fine
  await running; // settled: with its result, or null when closing came first
  write(10);
  checkpointer.committed();
  expect(await checkpointer.checkpoint()).toBeNull();
  client.close();
});

test('a store checkpoints in the background; after close the file alone holds every write', async () => {
  const path = join(dir, 'store.sqlite');
  const store = createSqliteStore({ path });
  const { conversation } = await givenConversation(store);
  for (let i = 0; i < 50; i++) await store.messages.create(makeMessage(conversation));
  await store.close();
  const copy = `${path}.copy`;
  copyFileSync(path, copy); // the file without its log
  const db = new Database(copy, { readonly: true });
  expect((db.query('SELECT count(*) AS n FROM messages').get() as { n: number }).n).toBe(50);
  db.close();
});

test('checkpoints: inline keeps SQLite’s own, and a store works the same with it', async () => {
  const path = join(dir, 'inline.sqlite');
  const store = createSqliteStore({ path, checkpoints: 'inline' });
  const { conversation } = await givenConversation(store);
  await store.messages.create(makeMessage(conversation));
  expect((await store.messages.list(conversation.id, { limit: 10, offset: 0 })).items).toHaveLength(1);
  await store.close();
  const reopened = createSqliteStore({ path, checkpoints: 'inline' });
  expect(await reopened.messages.list(conversation.id, { limit: 10, offset: 0 })).toMatchObject({ total: 1 });
  await reopened.close();
});

test('an unknown checkpoints setting is refused before anything is opened', () => {
  const path = join(dir, 'refused.sqlite');
  expect(() => createSqliteStore({ path, checkpoints: 'sometimes' as 'inline' })).toThrow(
    "checkpoints must be 'background' or 'inline'",
  );
  expect(existsSync(path)).toBe(false);
});

test('a process waiting for a checkpoint or a close waits for the worker; an idle one exits', async () => {
  const path = join(dir, `db-${++files}.sqlite`);
  // A script with nothing else to do: only the worker's answers can keep it alive until it prints.
  const script = join(dir, 'host.ts');
  await Bun.write(
    script,
    `import { Database } from 'bun:sqlite';
import { WalCheckpointer } from ${JSON.stringify(join(import.meta.dir, '../src/sqlite/checkpointer.ts'))};
import { createSqliteStore } from ${JSON.stringify(join(import.meta.dir, '../src/sqlite/index.ts'))};
// No top-level await (it would keep the process alive by itself), as the CLI runs.
async function main(path) {
  const store = createSqliteStore({ url: 'sqlite:' + path });
  await store.close();
  console.log('closed');
  const client = new Database(path);
  client.run('PRAGMA journal_mode = WAL');
  const checkpointer = new WalCheckpointer({ path, busyTimeoutMs: 5000 });
  console.log('checkpointed', (await checkpointer.checkpoint()) !== null);
  await checkpointer.close();
  client.close();
  console.log('done');
  // Never closed: an idle checkpointer must not keep the process alive.
  new WalCheckpointer({ path, busyTimeoutMs: 5000 }).committed();
}
main(process.argv[2]);
`,
  );
  const child = Bun.spawn({ cmd: [process.execPath, script, path], stdout: 'pipe', stderr: 'pipe' });
  const [stdout, stderr, code] = await Promise.all([
    new Response(child.stdout).text(),
    new Response(child.stderr).text(),
    child.exited,
  ]);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  expect(stdout).toBe('closed\ncheckpointed true\ndone\n');
});
