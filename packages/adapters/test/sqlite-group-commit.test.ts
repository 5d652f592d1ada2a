import { Database } from 'bun:sqlite';
import { expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GroupCommit } from '../src/sqlite/group-commit.ts';

function table() {
  const client = new Database(':memory:');
  client.run('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  const insert = client.prepare('INSERT INTO t (id, v) VALUES (?1, ?2)');
  const rows = () => client.query('SELECT id FROM t ORDER BY id').all() as { id: number }[];
  return { client, commits: new GroupCommit(client), insert, rows };
}

test('writes queued in one turn run in one transaction and resolve with their own results', async () => {
  const { client, commits, insert, rows } = table();
  const seen: { inTransaction: boolean; before: number[] }[] = [];
  const writes = [1, 2, 3].map((id) =>
    commits.run(() => {
      seen.push({ inTransaction: client.inTransaction, before: rows().map((r) => r.id) });
      insert.run(id, `row ${id}`);
      return id * 10;
    }),
  );
  expect(rows()).toEqual([]); // nothing is written before the loop turns
  expect(await Promise.all(writes)).toEqual([10, 20, 30]);
  expect(seen).toEqual([
    { inTransaction: true, before: [] },
    { inTransaction: true, before: [1] },
    { inTransaction: true, before: [1, 2] },
  ]);
  expect(client.inTransaction).toBe(false);
  expect(rows().map((r) => r.id)).toEqual([1, 2, 3]);
});

test('a write that throws is undone alone and rejects only its own promise', async () => {
  const { commits, insert, rows } = table();
  const first = commits.run(() => insert.run(1, 'one'));
  const failing = commits.run(() => {
    insert.run(2, 'two'); // undone with the rest of this write
    insert.run(1, 'duplicate');
  });
  const third = commits.run(() => insert.run(3, 'three'));
  await first;
  await expect(failing).rejects.toThrow(/UNIQUE/);
  await third;
  expect(rows().map((r) => r.id)).toEqual([1, 3]);
});

test('a write may open a transaction of its own, which nests inside the batch', async () => {
  const { client, commits, insert, rows } = table();
  await Promise.all([
    commits.run(() => client.transaction(() => insert.run(1, 'one')).immediate()),
    commits.run(() => insert.run(2, 'two')),
  ]);
  expect(rows().map((r) => r.id)).toEqual([1, 2]);
});

test('when the batch cannot begin, every write of it is rejected', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'zekka-group-'));
  try {
    const path = join(dir, 'db.sqlite');
    const setup = new Database(path);
    setup.run('PRAGMA journal_mode = WAL');
    setup.run('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
    const client = new Database(path);
    client.run('PRAGMA busy_timeout = 0');
    const commits = new GroupCommit(client);
    const insert = client.prepare('INSERT INTO t (id, v) VALUES (?1, ?2)');
    // Another connection holds the write lock: BEGIN IMMEDIATE fails at once.
    setup.run('BEGIN IMMEDIATE');
    const writes = [commits.run(() => insert.run(1, 'a')), commits.run(() => insert.run(2, 'b'))];
    const settled = await Promise.allSettled(writes);
    for (const outcome of settled) {
      expect(outcome.status).toBe('rejected');
      expect(String((outcome as PromiseRejectedResult).reason)).toMatch(/locked|busy/i);
    }
    setup.run('ROLLBACK');
    expect(client.inTransaction).toBe(false);
    client.run('PRAGMA busy_timeout = 2000');
    expect(await commits.run(() => insert.run(3, 'c'))).toBeDefined();
    expect(setup.query('SELECT id FROM t').all()).toEqual([{ id: 3 }]);
    setup.close();
    client.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('when the commit fails, every write of the batch is rejected and none is kept', async () => {
  const client = new Database(':memory:');
  client.run('PRAGMA foreign_keys = ON');
  client.run('CREATE TABLE parent (id INTEGER PRIMARY KEY)');
  // A deferred key is checked at COMMIT: an orphan makes the commit itself fail.
  client.run(
    'CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)',
  );
  const commits = new GroupCommit(client);
  const writes = [
    commits.run(() => client.run('INSERT INTO parent (id) VALUES (1)')),
    commits.run(() => client.run('INSERT INTO child (id, parent_id) VALUES (1, 99)')),
  ];
  const settled = await Promise.allSettled(writes);
  expect(settled.map((outcome) => outcome.status)).toEqual(['rejected', 'rejected']);
  expect(client.inTransaction).toBe(false);
  expect(client.query('SELECT count(*) AS n FROM parent').get()).toEqual({ n: 0 });
  await commits.run(() => client.run('INSERT INTO parent (id) VALUES (2)'));
  expect(client.query('SELECT id FROM parent').all()).toEqual([{ id: 2 }]);
});

test('flush commits what is queued at once (what close does before the database closes)', async () => {
  const { commits, insert, rows } = table();
  const write = commits.run(() => insert.run(1, 'one'));
  commits.flush();
  expect(rows().map((r) => r.id)).toEqual([1]);
  await write;
});

test('a long queue is committed in several batches, all in the same turn', async () => {
  const { commits, insert, rows } = table();
  const writes = Array.from({ length: 600 }, (_, i) => commits.run(() => insert.run(i + 1, 'x')));
  await Promise.all(writes);
  expect(rows()).toHaveLength(600);
});

test('statements left for the end of the batch run after every write, before the commit, for the writes that succeeded', async () => {
  const { client, commits, insert, rows } = table();
  client.run('CREATE TABLE log (entry TEXT NOT NULL)');
  const log = client.prepare('INSERT INTO log (entry) VALUES (?1)');
  const order: string[] = [];
  const write = (id: number, fail = false) =>
    commits.run(() => {
      order.push(`write ${id}`);
      insert.run(id, 'x');
      commits.atCommit(() => {
        order.push(`end ${id}`);
        log.run(`end ${id}`);
      });
      if (fail) throw new Error(`write ${id} fails`);
    });
  const settled = await Promise.allSettled([write(1), write(2, true), write(3)]);
  expect(settled.map((outcome) => outcome.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  // The optimistic run, then the run one by one (the failure undid the first); ends only for 1 and 3.
  expect(order).toEqual(['write 1', 'write 2', 'write 1', 'write 2', 'write 3', 'end 1', 'end 3']);
  expect(client.query('SELECT entry FROM log').all()).toEqual([{ entry: 'end 1' }, { entry: 'end 3' }]);
  expect(rows().map((r) => r.id)).toEqual([1, 3]);
  // Outside a batch, a statement left for the end runs at once.
  commits.atCommit(() => log.run('alone'));
  expect(client.query('SELECT count(*) AS n FROM log').get()).toEqual({ n: 3 });
});
