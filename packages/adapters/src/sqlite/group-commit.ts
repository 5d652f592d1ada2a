/**
 * @module sqlite/group-commit
 * Group commit: the writes that arrive while the event loop is busy are committed together, in one
 * transaction, at the end of the loop's turn. Committing is most of what a small write costs in WAL mode
 * (the pages go to the log whether one row changed or fifty), so under concurrent load this divides that
 * cost by the batch; a lone write waits one turn of the loop, not a timer.
 *
 * Each write still stands alone: it runs inside a savepoint of the batch, so one that throws is rolled
 * back by itself and rejects only its own promise, and a promise resolves only once the batch is
 * committed — durable, and visible to every read that follows. A commit that fails rejects every write
 * of the batch, as a failed transaction would.
 *
 * Writes are synchronous functions, as every write of this adapter is: the batch runs start to end in one
 * call, so nothing can interleave with it. A write may open its own (nested) transaction: `bun:sqlite`
 * turns it into a savepoint inside the batch.
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
  private readonly begin: Statement;
  private readonly commit: Statement;
  private readonly rollback: Statement;
  private readonly savepoint: Statement;
  private readonly release: Statement;
  private readonly rollbackTo: Statement;

  constructor(private readonly client: Database) {
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
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      this.begin.run();
    } catch (error) {
      for (const pending of batch) pending.reject(error);
      return;
    }
    try {
      for (const pending of batch) outcomes.push(this.runOne(pending.write));
      this.commit.run();
    } catch (error) {
      if (this.client.inTransaction) this.rollback.run();
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, i) => {
      const outcome = outcomes[i] as { ok: boolean; value: unknown };
      if (outcome.ok) pending.resolve(outcome.value);
      else pending.reject(outcome.value);
    });
  }

  /** One write in a savepoint of the batch: kept when it returns, undone (and its error kept) when it throws. */
  private runOne(write: () => unknown): { ok: boolean; value: unknown } {
    this.savepoint.run();
    try {
      const value = write();
      this.release.run();
      return { ok: true, value };
    } catch (error) {
      this.rollbackTo.run();
      this.release.run();
      return { ok: false, value: error };
    }
  }
}
