/**
 * @module routes/idempotency
 * The contract's `Idempotency-Key` on POSTs that create something: a retry with the same key from the
 * same user within 24 h gets the first answer again (`Idempotency-Replayed: true`) and creates nothing;
 * the same key with a different request is `409 CONFLICT`. Only successful answers are kept, so a retry
 * after a failure runs again. Requests without the header pay nothing.
 *
 * Concurrent duplicates (a client retrying while its first request still runs, possibly on another
 * instance) wait for the first rather than both running: the first takes a claim key (the cache's atomic
 * `increment`, with a TTL so a crashed request cannot hold it forever); the others poll for its stored
 * answer for up to `waitMs`, replay it when it appears, run themselves if the first failed (its claim gone,
 * no answer), and answer `409 CONFLICT` if the first is still running when the wait is over.
 */
import { createHash } from 'node:crypto';
import type { Cache } from '@zekka/core';
import { ZekkaError } from '@zekka/core';
import { ElysiaCustomStatusResponse, status as statusResponse } from 'elysia';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'idempotency-replayed';

const MAX_KEY_LENGTH = 128;
const KEEP_MS = 24 * 60 * 60 * 1000;
/** How long a claim on a key may stay unfinished (a crashed request) before a retry may run again. */
const CLAIM_MS = 60 * 1000;
/** How long a duplicate waits for the first request's answer before `409`. */
export const IDEMPOTENCY_WAIT_MS = 10_000;
const POLL_MS = 50;

interface StoredAnswer extends KeptAnswer {
  fingerprint: string;
}

/** A kept answer: its status and body (for a route that answers JSON, the body it answered). */
export interface KeptAnswer {
  status: number;
  body: unknown;
}

export interface IdempotencyOptions<Result> {
  /** How long a duplicate waits for the first request's answer before `409`. */
  waitMs?: number;
  /**
   * What to keep of a result, for a route whose answer is not a JSON body (an event stream keeps what it
   * needs to stream the same answer again). Default: the status and body the route answered.
   */
  keep?: (result: Result) => KeptAnswer;
  /** The answer a retry gets for a kept one. Default: its status and body, as JSON. */
  replay?: (kept: KeptAnswer) => Promise<Result>;
}

/** What the wrapper reads from the route's context. */
interface IdempotencyContext {
  request: Request;
  body: unknown;
  actor: { userId: string };
  set: { headers: Record<string, string | number> };
}

/**
 * Runs `create` under the request's `Idempotency-Key`, if it has one: replays a kept answer, or runs it
 * and keeps the answer for 24 h.
 * @param cache - where answers are kept; all instances must share it for the guarantee to hold.
 * @param context - the route's context (`request`, `body`, `actor`, `set`).
 * @example
 * app.post('/projects', ({ actor, body, request, set, status }) =>
 *   withIdempotency(cache, { actor, body, request, set }, async () => status(201, ok(...))))
 */
export async function withIdempotency<Result>(
  cache: Cache,
  context: IdempotencyContext,
  create: () => Promise<Result>,
  options: IdempotencyOptions<Result> = {},
): Promise<Result> {
  const key = context.request.headers.get(IDEMPOTENCY_HEADER);
  if (key === null) return create();
  if (key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw new ZekkaError('VALIDATION_FAILED', 'The Idempotency-Key header is invalid', {
      details: [{ path: '/headers/idempotency-key', message: `Expected 1–${MAX_KEY_LENGTH} characters` }],
    });
  }
  const url = new URL(context.request.url);
  const fingerprint = createHash('sha256')
    .update(`${context.request.method} ${url.pathname}\n${JSON.stringify(context.body ?? null)}`)
    .digest('base64url');
  const scope = `idempotency:${context.actor.userId}:${createHash('sha256').update(key).digest('base64url')}`;

  const again = async (stored: string): Promise<Result> => {
    const answer = JSON.parse(stored) as StoredAnswer;
    if (answer.fingerprint !== fingerprint) {
      throw new ZekkaError('CONFLICT', 'This Idempotency-Key was used for a different request');
    }
    const result = options.replay
      ? await options.replay(answer)
      : // The status is one the wrapped handler answered with, so it is a valid status for this route.
        (statusResponse(answer.status as 201, answer.body) as Result);
    // Only on the replayed answer: a replay can fail (a stream's reader lost access to the project).
    context.set.headers[REPLAYED_HEADER] = 'true';
    return result;
  };

  const stored = await cache.get(`${scope}:answer`);
  if (stored !== null) return again(stored);

  // One request per key at a time: a concurrent retry must not create a second resource.
  const deadline = Date.now() + (options.waitMs ?? IDEMPOTENCY_WAIT_MS);
  while ((await cache.increment(`${scope}:claim`, CLAIM_MS)) !== 1) {
    // Another request holds the key: wait for its answer, or for its claim to go (it failed).
    while (true) {
      if (Date.now() >= deadline) {
        throw new ZekkaError(
          'CONFLICT',
          'A request with this Idempotency-Key is still in progress; retry later',
        );
      }
      await Bun.sleep(POLL_MS);
      const answer = await cache.get(`${scope}:answer`);
      if (answer !== null) return again(answer);
      if ((await cache.get(`${scope}:claim`)) === null) break;
    }
  }
  try {
    // The first request may have finished between the lookup above and the claim.
    const finished = await cache.get(`${scope}:answer`);
    if (finished !== null) return again(finished);
    const result = await create();
    const kept: KeptAnswer = options.keep
      ? options.keep(result)
      : result instanceof ElysiaCustomStatusResponse
        ? { status: Number(result.code), body: result.response }
        : { status: 200, body: result };
    const answer: StoredAnswer = { fingerprint, ...kept };
    // The resource exists now: a cache that fails here must not turn that into an error answer (the
    // client would retry and create another). The claim expires by itself.
    await cache.set(`${scope}:answer`, JSON.stringify(answer), KEEP_MS).catch(() => {});
    return result;
  } finally {
    await cache.delete(`${scope}:claim`).catch(() => {});
  }
}
