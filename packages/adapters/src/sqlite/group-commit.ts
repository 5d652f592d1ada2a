/**
 * @module sqlite/group-commit
 * Group commit: the writes that arrive while the event loop is busy are committed together, in one
 * transaction, at the end of the loop's turn. Committing is most of what a small write costs in WAL mode
 * (the pages go to the log whether one row changed or fifty), so under concurrent load this divides that
 * cost by the batch; a lone write waits one turn of the loop, not a timer.
 *
 * Each write still stands alone: one that throws is rolled back by itself and rejects only its own
 * promise (see `runAll`), and a promise resolves only once the batch is committed — durable, and visible
 * to every read that follows. A commit that fails rejects every write of the batch, as a failed
 * transaction would.
 *
 * Writes are synchronous functions, as every write of this adapter is: the batch runs start to end in one
 * call, so nothing can interleave with it. A write may open its own (nested) transaction: `bun:sqlite`
 * turns it into a savepoint inside the batch.
 *
 * A write may also leave statements for the end of its batch (`atCommit`): they run, in order, after every
 * write of the batch and before the commit — and only for the writes that succeeded. Full-text index
 * entries go there: FTS5 flushes its pending entries at every savepoint, and nearly every statement opens
 * one (a statement journal), so index writes mixed with other writes cost a segment each; written last,
 * the batch's entries are flushed once.
 */
import type { Database, Statement } from 'bun:sqlite';
import { setImmediate } from 'node:timers';

interface Pending {
  write: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/** At most this many writes share a transaction; the rest wait for the next turn. */
const MAX_BATCH = 256;

export class GroupCommit {
  private queue: Pending[] = [];
  private scheduled = false;
  /** While a write runs: the statements it leaves for the end of the batch. */
  private leftover: (() => void)[] | null = null;
  private readonly begin: Statement;
  private readonly commit: Statement;
  private readonly rollback: Statement;
  private readonly savepoint: Statement;
  private readonly release: Statement;
  private readonly rollbackTo: Statement;

  /** @param committed called after each batch is committed (the WAL checkpointer listens). */
  constructor(
    private readonly client: Database,
    private readonly committed: () => void = () => {},
  ) {
    this.begin = client.prepare('BEGIN IMMEDIATE');
    this.commit = client.prepare('COMMIT');
    this.rollback = client.prepare('ROLLBACK');
    this.savepoint = client.prepare('SAVEPOINT zekka_write');
    this.release = client.prepare('RELEASE zekka_write');
    this.rollbackTo = client.prepare('ROLLBACK TO zekka_write');
  }

  /** Runs `write` in the next batch; resolves with its result once the batch is committed. */
  run<T>(write: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ write, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Called by a write while it runs: `statement` runs at the end of the write's batch, before the commit,
   * if the write succeeds. Outside a batch it runs at once.
   */
  atCommit(statement: () => void): void {
    if (this.leftover === null) statement();
    else this.leftover.push(statement);
  }

  /** Commits what is queued now (as `close` must before the database closes). */
  flush(): void {
    this.scheduled = false;
    while (this.queue.length > 0) {
      const batch = this.queue.length <= MAX_BATCH ? this.queue : this.queue.slice(0, MAX_BATCH);
      this.queue = this.queue.length <= MAX_BATCH ? [] : this.queue.slice(MAX_BATCH);
      this.commitBatch(batch);
    }
  }

  private commitBatch(batch: Pending[]): void {
    try {
      this.begin.run();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    let outcomes: Outcome[];
    try {
      const ran = this.runAll(batch);
      outcomes = ran.outcomes;
      for (const statement of ran.atCommit) statement();
      this.commit.run();
    } catch (error) {
      if (this.client.inTransaction) this.rollback.run();
      for (const pending of batch) pending.reject(error);
      return;
    }
    this.committed();
    batch.forEach((pending, i) => {
      const outcome = outcomes[i] as Outcome;
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.value);
    });
  }

  /**
   * Runs the batch's writes in the open transaction. Optimistically first, one after the other with
   * nothing between them: a savepoint per write would cost a statement each (and an FTS5 flush). Writes
   * rarely throw; when one does, everything is rolled back to the start of the batch and run again, each
   * write in a savepoint of its own, so the failed one is undone alone.
   */
  private runAll(batch: Pending[]): { outcomes: Outcome[]; atCommit: (() => void)[] } {
    const atCommit: (() => void)[] = [];
    const outcomes: Outcome[] = [];
    this.savepoint.run();
    this.leftover = atCommit;
    try {
      for (const pending of batch) outcomes.push({ ok: true, value: pending.write() });
      this.release.run();
      return { outcomes, atCommit };
    } catch {
      this.rollbackTo.run();
      this.release.run();
    } finally {
      this.leftover = null;
    }
    atCommit.length = 0;
    return { outcomes: batch.map((pending) => this.runOne(pending.write, atCommit)), atCommit };
  }

  /** One write in a savepoint of the batch: kept when it returns, undone (and its error kept) when it throws. */
  private runOne(write: () => unknown, atCommit: (() => void)[]): Outcome {
    const own: (() => void)[] = [];
    this.savepoint.run();
    this.leftover = own;
    try {
      const value = write();
      this.release.run();
      atCommit.push(...own);
      return { ok: true, value };
    } catch (error) {
      this.rollbackTo.run();
      this.release.run();
      return { ok: false, value: error };
    } finally {
      this.leftover = null;
    }
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; value: unknown };
