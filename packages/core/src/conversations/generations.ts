/**
 * @module conversations/generations
 * A generation is a job that does not depend on the request that started it: it runs the model, stores
 * the assistant message and its usage, and publishes its deltas on the event bus, where SSE responses and
 * WebSocket subscribers read them. A client that goes away loses nothing; `stop` aborts it, and the text
 * and the usage consumed so far are kept.
 *
 * Across instances: a running generation holds the cache key `generation:<conversationId>` (a TTL renewed
 * while it runs), which makes the claim hold across instances and lets `stop` on any instance know it runs
 * somewhere; the stop request travels on the internal bus topic `generation:<conversationId>`, which the
 * owning instance listens to while it runs. Its stream events (row 41's, with their ids) are kept in the
 * `StreamBuffer`, from which `replay` resumes a client on any instance.
 */
import { setImmediate } from 'node:timers';
import { type ConversationDeps, publishSafely } from '../deps.ts';
import { isZekkaError, ZekkaError } from '../errors.ts';
import { topics, type ZekkaEvent } from '../events.ts';
import type { ChatTurn, ModelHandle } from '../ports/models.ts';
import type { MessageRecord, UsageOutcome } from '../ports/records.ts';
import type { StreamBuffer, StreamBufferEntry } from '../ports/stream-buffer.ts';
import type { Message } from '../types.ts';
import { priceUsage } from '../usage/cost.ts';
import { type TokenUsage, ZERO_USAGE } from '../usage/token-usage.ts';
import { microToUsd } from '../views.ts';
import { followMessage, replayStream } from './generation-streams.ts';
import { toMessage } from './views.ts';

/** What one generation produced, once it is over. */
export interface GenerationResult {
  message: MessageRecord;
  /** Set when the model failed; the message is then stored with status `failed`. */
  error: { code: string; message: string } | null;
}

export interface GenerationJob {
  userId: string | null;
  projectId: string;
  conversationId: string;
  /** The user message the answer is for (the stream's first event). */
  userMessage: Message;
  assistant: MessageRecord;
  model: ModelHandle;
  system: string | undefined;
  /** The turns to send, assembled when the job starts. */
  context: () => Promise<ChatTurn[]>;
  maxOutputTokens: number;
}

/** Events of one assistant message, as a consumer (an SSE response) reads them off the bus. */
export type GenerationEvent = Extract<
  ZekkaEvent,
  { event: 'message:delta' } | { event: 'message:completed' } | { event: 'generation:failed' }
>;

/** How long the cross-instance running marker lives unless renewed (a crashed instance's expires). */
export const RUNNING_TTL_MS = 30_000;
const RUNNING_RENEW_MS = 10_000;

const runningKey = (conversationId: string) => `generation:${conversationId}`;

export class Generations {
  private readonly running = new Map<
    string,
    { controller: AbortController; done: Promise<GenerationResult>; shared: boolean }
  >();

  constructor(
    private readonly deps: ConversationDeps,
    private readonly buffer: StreamBuffer,
  ) {}

  isRunning(conversationId: string): boolean {
    return this.running.has(conversationId);
  }

  /** Whether a generation runs in the conversation on this instance or another (per the cache). */
  async isRunningAnywhere(conversationId: string): Promise<boolean> {
    if (this.running.has(conversationId)) return true;
    try {
      return (await this.deps.cache.get(runningKey(conversationId))) !== null;
    } catch {
      return false;
    }
  }

  /**
   * Extends a local `claim` to every instance sharing the cache: throws `CONFLICT` (the caller releases
   * the local claim) when another instance runs a generation there. While the cache is unavailable the
   * claim stays local (logged): sending keeps working, at the cost of the cross-instance guarantee.
   */
  async claimShared(conversationId: string): Promise<void> {
    let count: number;
    try {
      count = await this.deps.cache.increment(runningKey(conversationId), RUNNING_TTL_MS);
    } catch (error) {
      this.deps.logger.warn('generation claim kept local: the cache is unavailable', {
        conversationId,
        error: String(error),
      });
      return;
    }
    if (count !== 1) {
      throw new ZekkaError(
        'CONFLICT',
        'A reply is already being generated in this conversation; stop it or wait',
      );
    }
    const entry = this.running.get(conversationId);
    if (entry) entry.shared = true;
  }

  /**
   * Claims the conversation for one generation; throws `CONFLICT` while another runs there. Must be called
   * (synchronously) before any await that precedes `run`, so two sends cannot both pass.
   */
  claim(conversationId: string): AbortController {
    if (this.running.has(conversationId)) {
      throw new ZekkaError(
        'CONFLICT',
        'A reply is already being generated in this conversation; stop it or wait',
      );
    }
    const controller = new AbortController();
    this.running.set(conversationId, { controller, done: new Promise(() => {}), shared: false });
    return controller;
  }

  /** Releases a claim that never started a run (the send failed before the model was called). */
  release(conversationId: string): void {
    const entry = this.running.get(conversationId);
    this.running.delete(conversationId);
    if (entry?.shared) this.dropShared(conversationId);
  }

  /** Starts the job on a claimed conversation; resolves when it is stored, never rejects. */
  run(job: GenerationJob, controller: AbortController): Promise<GenerationResult> {
    const { conversationId } = job;
    const shared = this.running.get(conversationId)?.shared ?? false;
    // A stop asked on another instance arrives on the internal topic.
    const unsubscribe = this.deps.bus.subscribe(topics.generation(conversationId), (event) => {
      if (event.event === 'generation:stop') controller.abort();
    });
    const renew = shared
      ? setInterval(() => {
          this.deps.cache.set(runningKey(conversationId), '1', RUNNING_TTL_MS).catch(() => {});
        }, RUNNING_RENEW_MS)
      : undefined;
    renew?.unref?.();
    const done = this.execute(job, controller.signal).finally(() => {
      unsubscribe();
      clearInterval(renew);
      this.running.delete(conversationId);
      if (shared) this.dropShared(conversationId);
    });
    this.running.set(conversationId, { controller, done, shared });
    return done;
  }

  /**
   * Aborts the conversation's running generation, here or (through the bus) on the instance running it;
   * `false` when none runs anywhere.
   */
  async stop(conversationId: string): Promise<boolean> {
    const entry = this.running.get(conversationId);
    if (entry) {
      entry.controller.abort();
      return true;
    }
    if (!(await this.isRunningAnywhere(conversationId))) return false;
    await publishSafely(this.deps, {
      event: 'generation:stop',
      topics: [topics.generation(conversationId)],
      data: { conversationId },
      ts: this.deps.clock.now(),
    });
    return true;
  }

  /**
   * The buffered stream events of the conversation's current (or last, within the buffer's TTL) generation
   * after `afterId`, then the live ones until `done` or `error`; `null` when nothing runs and nothing is
   * buffered. Ends early when `signal` aborts.
   */
  replay(
    conversationId: string,
    afterId: number,
    signal?: AbortSignal,
  ): Promise<AsyncIterable<StreamBufferEntry> | null> {
    return replayStream(
      { bus: this.deps.bus, buffer: this.buffer, isRunningAnywhere: (id) => this.isRunningAnywhere(id) },
      conversationId,
      afterId,
      signal,
    );
  }

  private dropShared(conversationId: string): void {
    this.deps.cache.delete(runningKey(conversationId)).catch((error: unknown) => {
      this.deps.logger.warn('generation marker not removed; it expires by itself', {
        conversationId,
        error: String(error),
      });
    });
  }

  /**
   * Subscribes to the events of one assistant message before its generation starts, so nothing is
   * missed. The iterator ends after `message:completed` or `generation:failed`, or when `signal` aborts
   * (the consumer went away; the generation goes on).
   */
  follow(conversationId: string, messageId: string, signal?: AbortSignal): AsyncIterable<GenerationEvent> {
    return followMessage(this.deps.bus, conversationId, messageId, signal);
  }

  /** Waits for running generations to finish, aborting those still running after `timeoutMs`. */
  async drain(timeoutMs: number): Promise<void> {
    const pending = [...this.running.values()];
    if (pending.length === 0) return;
    const timer = setTimeout(() => {
      for (const entry of pending) entry.controller.abort();
    }, timeoutMs);
    await Promise.all(pending.map((entry) => entry.done));
    clearTimeout(timer);
  }

  private async execute(job: GenerationJob, signal: AbortSignal): Promise<GenerationResult> {
    const { clock, logger } = this.deps;
    const started = clock.now();
    let text = '';
    let index = 0;
    let usage: TokenUsage = ZERO_USAGE;
    let outcome: UsageOutcome = 'complete';
    let modelId = job.model.info.id;
    let error: GenerationResult['error'] = null;
    const topic = [topics.conversation(job.conversationId)];
    const record = this.recorder(job);
    const ref = { id: job.assistant.id, conversationId: job.conversationId };
    await record.reset();
    await record({ type: 'userMessage', data: job.userMessage });
    await record({ type: 'assistantMessageStart', data: ref });
    try {
      // Let the caller's response go out first: with a fast model the whole job would otherwise run in
      // microtasks before the first SSE byte is written.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const turns = await job.context();
      for await (const part of job.model.stream({
        ...(job.system ? { system: job.system } : {}),
        messages: turns,
        maxOutputTokens: job.maxOutputTokens,
        signal,
      })) {
        if (part.type === 'delta') {
          if (part.text === '') continue;
          text += part.text;
          await record({ type: 'assistantMessageDelta', data: { ...ref, chunk: part.text } });
          await publishSafely(this.deps, {
            event: 'message:delta',
            topics: topic,
            data: {
              conversationId: job.conversationId,
              messageId: job.assistant.id,
              index: index++,
              chunk: part.text,
            },
            ts: clock.now(),
          });
        } else {
          usage = part.usage;
          modelId = part.model ?? modelId;
          if (part.reason === 'aborted') outcome = 'stopped';
        }
      }
      if (signal.aborted) outcome = 'stopped';
    } catch (cause) {
      outcome = 'failed';
      const failure = isZekkaError(cause)
        ? cause
        : new ZekkaError('MODEL_UNAVAILABLE', 'The model failed', { cause });
      error = { code: failure.code, message: failure.message };
      logger.warn('generation failed', {
        conversationId: job.conversationId,
        model: modelId,
        error: String(cause),
      });
    }

    try {
      return await this.store(job, { text, usage, outcome, modelId, error, started }, record);
    } catch (cause) {
      // The answer could not be stored (the database went away): say so to whoever follows it.
      logger.error('storing a generation failed', {
        conversationId: job.conversationId,
        error: String(cause),
      });
      const failure = { code: 'UNAVAILABLE', message: 'The answer could not be stored' };
      await record({ type: 'error', error: failure });
      await publishSafely(this.deps, {
        event: 'generation:failed',
        topics: [topics.conversation(job.conversationId)],
        data: { conversationId: job.conversationId, messageId: job.assistant.id, error: failure },
        ts: clock.now(),
      });
      return { message: { ...job.assistant, content: text, status: 'failed' }, error: failure };
    }
  }

  /** Stores the answer with its usage, then announces it. */
  private async store(
    job: GenerationJob,
    result: {
      text: string;
      usage: TokenUsage;
      outcome: UsageOutcome;
      modelId: string;
      error: GenerationResult['error'];
      started: number;
    },
    record: Recorder,
  ): Promise<GenerationResult> {
    const { clock, ids, store, models } = this.deps;
    const { text, usage, outcome, modelId, error, started } = result;
    const topic = [topics.conversation(job.conversationId)];
    const priced = priceUsage(models.priceTable, modelId, usage);
    const now = clock.now();
    const provider = models.resolve(modelId)?.info.provider ?? job.model.info.provider;
    const stored = await store.messages.complete(
      job.assistant.id,
      {
        content: text,
        status: outcome === 'complete' ? 'complete' : outcome === 'stopped' ? 'stopped' : 'failed',
        model: modelId,
        inputTokens: usage.inputTokens,
        outputTokens: usage.outputTokens,
        costMicroUsd: priced.costMicroUsd,
        updatedAt: now,
      },
      {
        id: ids.uuid(),
        userId: job.userId,
        projectId: job.projectId,
        conversationId: job.conversationId,
        agentId: null,
        messageId: job.assistant.id,
        provider,
        model: modelId,
        ...usage,
        costMicroUsd: priced.costMicroUsd,
        priceVersion: priced.priceVersion,
        latencyMs: Math.max(0, now - started),
        outcome,
        createdAt: now,
      },
    );
    this.deps.telemetry.generationFinished({
      model: modelId,
      outcome,
      usage,
      costMicroUsd: priced.costMicroUsd,
      latencyMs: Math.max(0, now - started),
    });
    // The message was deleted while it was being written: nothing is stored, nothing to announce.
    const message = stored ?? { ...job.assistant, content: text, status: 'failed' as const };
    if (stored) {
      await publishSafely(this.deps, {
        event: 'usage:recorded',
        topics: [topics.project(job.projectId)],
        data: {
          projectId: job.projectId,
          conversationId: job.conversationId,
          model: modelId,
          inputTokens: usage.inputTokens,
          outputTokens: usage.outputTokens,
          costUsd: priced.costMicroUsd === null ? null : microToUsd(priced.costMicroUsd),
        },
        ts: now,
      });
    }
    if (error) {
      await record({ type: 'error', error });
      await publishSafely(this.deps, {
        event: 'generation:failed',
        topics: topic,
        data: { conversationId: job.conversationId, messageId: job.assistant.id, error },
        ts: now,
      });
    } else {
      const view = toMessage(message);
      await record({ type: 'assistantMessageComplete', data: view });
      await record({ type: 'done', data: null });
      await publishSafely(this.deps, {
        event: 'message:completed',
        topics: topic,
        data: view,
        ts: now,
      });
    }
    return { message, error };
  }

  /**
   * Appends the generation's stream events to the buffer with ids from 1, in row 41's order and shape.
   * A buffer failure (Redis away) costs resumability, never the generation: it is logged once.
   */
  private recorder(job: GenerationJob): Recorder {
    let id = 0;
    let warned = false;
    const key = job.conversationId;
    const failed = (error: unknown) => {
      if (warned) return;
      warned = true;
      this.deps.logger.warn('stream buffer unavailable; this stream cannot be resumed', {
        conversationId: key,
        error: String(error),
      });
    };
    const record = async (event: BufferedEvent) => {
      id += 1;
      try {
        await this.buffer.append(key, id, JSON.stringify(event));
      } catch (error) {
        failed(error);
      }
    };
    return Object.assign(record, {
      reset: () => this.buffer.reset(key).catch(failed),
    });
  }
}

/** One event of row 41's stream, as buffered. */
type BufferedEvent =
  | { type: 'userMessage'; data: Message }
  | { type: 'assistantMessageStart'; data: { id: string; conversationId: string } }
  | { type: 'assistantMessageDelta'; data: { id: string; conversationId: string; chunk: string } }
  | { type: 'assistantMessageComplete'; data: Message }
  | { type: 'done'; data: null }
  | { type: 'error'; error: { code: string; message: string } };

type Recorder = ((event: BufferedEvent) => Promise<void>) & { reset(): Promise<void> };
