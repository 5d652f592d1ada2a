/**
 * @module conversations/generations
 * A generation is a job that does not depend on the request that started it: it runs the model, stores
 * the assistant message and its usage, and publishes its deltas on the event bus, where SSE responses and
 * WebSocket subscribers read them. A client that goes away loses nothing; `stop` aborts it, and the text
 * and the usage consumed so far are kept.
 */
import { type ConversationDeps, publishSafely } from '../deps.ts';
import { isZekkaError, ZekkaError } from '../errors.ts';
import { topics, type ZekkaEvent } from '../events.ts';
import type { ChatTurn, ModelHandle } from '../ports/models.ts';
import type { MessageRecord, UsageOutcome } from '../ports/records.ts';
import { priceUsage } from '../usage/cost.ts';
import { type TokenUsage, ZERO_USAGE } from '../usage/token-usage.ts';
import { microToUsd } from '../views.ts';
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
  assistant: MessageRecord;
  model: ModelHandle;
  system: string | undefined;
  turns: ChatTurn[];
  maxOutputTokens: number;
}

/** Events of one assistant message, as a consumer (an SSE response) reads them off the bus. */
export type GenerationEvent = Extract<
  ZekkaEvent,
  { event: 'message:delta' } | { event: 'message:completed' } | { event: 'generation:failed' }
>;

export class Generations {
  private readonly running = new Map<
    string,
    { controller: AbortController; done: Promise<GenerationResult> }
  >();

  constructor(private readonly deps: ConversationDeps) {}

  isRunning(conversationId: string): boolean {
    return this.running.has(conversationId);
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
    this.running.set(conversationId, { controller, done: new Promise(() => {}) });
    return controller;
  }

  /** Releases a claim that never started a run (the send failed before the model was called). */
  release(conversationId: string): void {
    this.running.delete(conversationId);
  }

  /** Starts the job on a claimed conversation; resolves when it is stored, never rejects. */
  run(job: GenerationJob, controller: AbortController): Promise<GenerationResult> {
    const done = this.execute(job, controller.signal).finally(() => this.running.delete(job.conversationId));
    this.running.set(job.conversationId, { controller, done });
    return done;
  }

  /** Aborts the conversation's running generation; `false` when none runs. */
  stop(conversationId: string): boolean {
    const entry = this.running.get(conversationId);
    if (!entry) return false;
    entry.controller.abort();
    return true;
  }

  /**
   * Subscribes to the events of one assistant message before its generation starts, so nothing is
   * missed. The iterator ends after `message:completed` or `generation:failed`, or when `signal` aborts
   * (the consumer went away; the generation goes on).
   */
  follow(conversationId: string, messageId: string, signal?: AbortSignal): AsyncIterable<GenerationEvent> {
    const queue: GenerationEvent[] = [];
    let wake: (() => void) | null = null;
    let finished = false;
    const unsubscribe = this.deps.bus.subscribe(topics.conversation(conversationId), (event) => {
      if (event.event === 'message:delta' && event.data.messageId === messageId) queue.push(event);
      else if (event.event === 'message:completed' && event.data.id === messageId) queue.push(event);
      else if (event.event === 'generation:failed' && event.data.messageId === messageId) queue.push(event);
      else return;
      wake?.();
    });
    const end = () => {
      finished = true;
      unsubscribe();
      wake?.();
    };
    signal?.addEventListener('abort', end, { once: true });
    return {
      async *[Symbol.asyncIterator]() {
        try {
          while (true) {
            const next = queue.shift();
            if (next) {
              yield next;
              if (next.event !== 'message:delta') return;
              continue;
            }
            if (finished) return;
            await new Promise<void>((resolve) => {
              wake = resolve;
            });
            wake = null;
          }
        } finally {
          end();
        }
      },
    };
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
    try {
      for await (const part of job.model.stream({
        ...(job.system ? { system: job.system } : {}),
        messages: job.turns,
        maxOutputTokens: job.maxOutputTokens,
        signal,
      })) {
        if (part.type === 'delta') {
          if (part.text === '') continue;
          text += part.text;
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
      return await this.store(job, { text, usage, outcome, modelId, error, started });
    } catch (cause) {
      // The answer could not be stored (the database went away): say so to whoever follows it.
      logger.error('storing a generation failed', {
        conversationId: job.conversationId,
        error: String(cause),
      });
      const failure = { code: 'UNAVAILABLE', message: 'The answer could not be stored' };
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
      await publishSafely(this.deps, {
        event: 'generation:failed',
        topics: topic,
        data: { conversationId: job.conversationId, messageId: job.assistant.id, error },
        ts: now,
      });
    } else {
      await publishSafely(this.deps, {
        event: 'message:completed',
        topics: topic,
        data: toMessage(message),
        ts: now,
      });
    }
    return { message, error };
  }
}
