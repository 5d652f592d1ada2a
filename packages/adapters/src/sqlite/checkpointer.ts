/**
 * @module sqlite/checkpointer
 * WAL checkpoints on a worker thread. In WAL mode a commit appends pages to the log; a checkpoint copies
 * them back into the database file and waits for the disk twice (`fsync` of the log, then of the file).
 * SQLite runs it inside the commit that crosses `wal_autocheckpoint` pages, so on a busy server one write
 * in a few dozen stalled the event loop for the whole copy and both waits: under the message benchmark,
 * checkpoints were most of what committing cost.
 *
 * Here a worker with a connection of its own runs `PRAGMA wal_checkpoint(PASSIVE)` when the store has
 * committed since the last one — never more often than `minIntervalMs`, and never two at once — while the
 * event loop goes on. PASSIVE never waits for a lock and never blocks a reader or the writer. The main
 * connection keeps an automatic checkpoint at a higher mark, as the safety net: a log the worker cannot
 * keep up with (or a worker that died) is still checkpointed, and one complete checkpoint lets the next
 * writer start the log over, which a passive one overtaken by new commits never does.
 *
 * Durability does not change: with `synchronous = NORMAL` commits were never synced in WAL mode, and the
 * checkpoint syncs as it did. The store's `close` runs a last checkpoint, then stops the worker, then
 * closes its own connection.
 *
 * The worker runs from a Blob URL, not from a file next to this one, so a bundled host still has it.
 */

/** What the worker runs: one connection, one checkpoint per request, its result posted back. */
const WORKER_SOURCE = `
import { Database } from 'bun:sqlite';
let db = null;
const checkpoint = () => db.query('PRAGMA wal_checkpoint(PASSIVE)').get();
self.onmessage = (event) => {
  const message = event.data;
  try {
    if (message.type === 'open') {
      db = new Database(message.path, { readwrite: true, create: false });
      db.run('PRAGMA busy_timeout = ' + message.busyTimeoutMs);
      db.run('PRAGMA synchronous = NORMAL');
      postMessage({ type: 'opened' });
    } else if (message.type === 'checkpoint') {
      postMessage({ type: 'checkpointed', result: checkpoint() });
    } else if (message.type === 'close') {
      db?.close();
      db = null;
      postMessage({ type: 'closed' });
    }
  } catch (error) {
    postMessage({ type: 'failed', message: String(error && error.message ? error.message : error) });
  }
};
`;

let workerUrl: string | null = null;

/** The result of `PRAGMA wal_checkpoint`: pages in the log, and how many of them are in the file now. */
export interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface CheckpointerOptions {
  /** The database file (never `:memory:`: only WAL databases have a log to checkpoint). */
  path: string;
  busyTimeoutMs: number;
  /**
   * The least time between the starts of two checkpoints: each syncs the disk twice, and under a steady
   * stream of commits a checkpoint every few milliseconds would mostly sync.
   * @default 50
   */
  minIntervalMs?: number;
  /** Called once if the worker fails (it is gone then): the store restores SQLite's own checkpoints. */
  onFailure?: () => void;
}

type Reply =
  | { type: 'opened' | 'closed' }
  | { type: 'checkpointed'; result: CheckpointResult }
  | { type: 'failed'; message: string };

export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly minIntervalMs: number;
  /** A checkpoint was asked for and has not answered yet. */
  private running = false;
  /** Commits happened since the running checkpoint started (it may not have seen them). */
  private dirty = false;
  private lastStart = 0;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private closing: Promise<void> | null = null;
  /** Callers of `checkpoint` waiting for the next start, and those waiting for the running one. */
  private queued: ((result: CheckpointResult | null) => void)[] = [];
  private inflight: ((result: CheckpointResult | null) => void)[] = [];
  private failed = false;
  private readonly onFailure: () => void;

  constructor(options: CheckpointerOptions) {
    this.minIntervalMs = options.minIntervalMs ?? 50;
    this.onFailure = options.onFailure ?? (() => {});
    workerUrl ??= URL.createObjectURL(new Blob([WORKER_SOURCE], { type: 'application/javascript' }));
    this.worker = new Worker(workerUrl);
    // The worker keeps the host's process alive only while someone waits for it (see `hold`).
    this.hold(false);
    this.worker.addEventListener('message', (event: MessageEvent<Reply>) => this.onReply(event.data));
    this.worker.addEventListener('error', () => this.fail());
    this.worker.postMessage({ type: 'open', path: options.path, busyTimeoutMs: options.busyTimeoutMs });
    this.running = true; // until `opened`: checkpoints wait for the connection
  }

  /** Called after every commit: a checkpoint follows, soon, off the event loop. */
  committed(): void {
    if (this.failed || this.closing !== null) return;
    this.dirty = true;
    this.schedule();
  }

  /**
   * Resolves with the result of a checkpoint that started after this call (`null` when the worker is
   * gone); for tests and for hosts that want the file up to date, e.g. before copying it.
   */
  checkpoint(): Promise<CheckpointResult | null> {
    if (this.failed || this.closing !== null) return Promise.resolve(null);
    this.hold(true);
    return new Promise((resolve) => {
      this.queued.push(resolve);
      this.dirty = true;
      this.schedule(true);
    });
  }

  /** Stops the worker after the checkpoint it is running, if any, and closes its connection. */
  close(): Promise<void> {
    this.closing ??= new Promise<void>((resolve) => {
      if (this.timer !== null) clearTimeout(this.timer);
      this.timer = null;
      this.settleWaiters(null);
      if (this.failed) {
        this.worker.terminate();
        resolve();
        return;
      }
      const done = () => {
        this.worker.terminate();
        resolve();
      };
      this.worker.addEventListener('message', (event: MessageEvent<Reply>) => {
        if (event.data.type === 'closed' || event.data.type === 'failed') done();
      });
      this.worker.addEventListener('error', done);
      // Messages are handled in order: a running checkpoint ends before the connection closes. A process
      // with nothing else to do must wait for that (the last checkpoint), not exit in the middle.
      this.hold(true);
      this.worker.postMessage({ type: 'close' });
    });
    return this.closing;
  }

  private schedule(now = false): void {
    if (this.running || this.timer !== null || !this.dirty) return;
    const wait = now ? 0 : this.lastStart + this.minIntervalMs - performance.now();
    if (wait <= 0) {
      this.start();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = null;
      this.start();
    }, wait);
    this.timer.unref?.();
  }

  private start(): void {
    if (this.running || this.failed || this.closing !== null) return;
    this.running = true;
    this.dirty = false;
    this.inflight = this.queued;
    this.queued = [];
    this.lastStart = performance.now();
    this.worker.postMessage({ type: 'checkpoint' });
  }

  private onReply(reply: Reply): void {
    if (this.closing !== null) return;
    if (reply.type === 'failed') {
      this.fail();
      return;
    }
    if (reply.type === 'checkpointed') {
      for (const resolve of this.inflight.splice(0)) resolve(reply.result);
      if (this.queued.length === 0) this.hold(false);
    }
    if (reply.type === 'opened' || reply.type === 'checkpointed') {
      this.running = false;
      // Commits that came in meanwhile, or a caller waiting for a checkpoint that starts after its call.
      this.schedule(this.queued.length > 0);
    }
  }

  private settleWaiters(result: CheckpointResult | null): void {
    for (const resolve of [...this.inflight.splice(0), ...this.queued.splice(0)]) resolve(result);
    this.hold(false);
  }

  /**
   * Whether the worker keeps the process alive: only while a caller waits for it (`checkpoint`, `close`).
   * Background checkpoints never do, so a host that is done exits without closing the store first (the
   * main connection's own checkpoint then runs when it is closed, or the next open recovers the WAL).
   */
  private hold(waiting: boolean): void {
    const worker = this.worker as Worker & { ref(): void; unref(): void };
    if (waiting) worker.ref();
    else worker.unref();
  }

  /** The worker is unusable: the main connection's own automatic checkpoint carries on alone. */
  private fail(): void {
    if (this.failed) return;
    this.failed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    if (this.closing === null) this.onFailure();
    this.running = false;
    this.settleWaiters(null);
    this.worker.terminate();
  }
}
