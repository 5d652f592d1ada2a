/**
 * @module conversations/generation-streams
 * Reading a generation's events: `followMessage` off the event bus for the response that started it, and
 * `replayStream` from the stream buffer (then live) for a client that reconnects, on any instance.
 */

import { topics } from '../events.ts';
import type { EventBus } from '../ports/event-bus.ts';
import type { StreamBuffer, StreamBufferEntry } from '../ports/stream-buffer.ts';
import type { Message } from '../types.ts';
import type { GenerationEvent } from './generations.ts';

/** How often a resumed stream looks at the buffer when no bus event woke it. */
const REPLAY_POLL_MS = 500;

/** The stream event types that end a stream. */
const isLast = (data: string) => data.startsWith('{"type":"done"') || data.startsWith('{"type":"error"');

/** What a replay reads from: the bus (to wake up), the buffer, and whether the generation still runs. */
export interface ReplaySource {
  bus: EventBus;
  buffer: StreamBuffer;
  isRunningAnywhere(conversationId: string): Promise<boolean>;
}

/**
 * The buffered stream events of the conversation's current (or last, within the buffer's TTL) generation
 * after `afterId`, then the live ones until `done` or `error`; `null` when nothing runs and nothing is
 * buffered. Ends early when `signal` aborts.
 */
export async function replayStream(
  source: ReplaySource,
  conversationId: string,
  afterId: number,
  signal?: AbortSignal,
): Promise<AsyncIterable<StreamBufferEntry> | null> {
  // Subscribed before the first read: the owner appends to the buffer before it publishes, so any event
  // after this read wakes a read that finds it.
  let wake: (() => void) | null = null;
  const unsubscribe = source.bus.subscribe(topics.conversation(conversationId), () => wake?.());
  let first: StreamBufferEntry[];
  try {
    first = await source.buffer.read(conversationId, afterId);
    if (first.length === 0 && !(await source.isRunningAnywhere(conversationId))) {
      const any = afterId > 0 ? await source.buffer.read(conversationId, 0) : [];
      if (any.length === 0) {
        unsubscribe();
        return null;
      }
    }
  } catch (error) {
    unsubscribe();
    throw error;
  }
  const buffer = source.buffer;
  const stillRunning = () => source.isRunningAnywhere(conversationId);
  const onAbort = () => wake?.();
  signal?.addEventListener('abort', onAbort, { once: true });
  return {
    async *[Symbol.asyncIterator]() {
      let lastId = afterId;
      let pending = first;
      let idle = 0;
      try {
        while (!signal?.aborted) {
          for (const entry of pending) {
            lastId = entry.id;
            yield entry;
            if (isLast(entry.data)) return;
          }
          if (pending.length === 0 && idle > 0 && !(await stillRunning())) {
            // The owner appends its last events before it lets go of the conversation.
            const rest = await buffer.read(conversationId, lastId);
            if (rest.length > 0) {
              pending = rest;
              continue;
            }
            if (lastId === afterId && afterId > 0) return; // nothing after what the client has
            yield {
              id: lastId + 1,
              data: JSON.stringify({
                type: 'error',
                error: {
                  code: 'UNAVAILABLE',
                  message: 'The generation ended without its last events; list the messages',
                },
              }),
            };
            return;
          }
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, REPLAY_POLL_MS);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = null;
          pending = await buffer.read(conversationId, lastId);
          idle = pending.length === 0 ? idle + 1 : 0;
        }
      } finally {
        unsubscribe();
        signal?.removeEventListener('abort', onAbort);
      }
    },
  };
}

/**
 * Subscribes to the events of one assistant message before its generation starts, so nothing is
 * missed. The iterator ends after `message:completed` or `generation:failed`, or when `signal` aborts
 * (the consumer went away; the generation goes on).
 */
export function followMessage(
  bus: EventBus,
  conversationId: string,
  messageId: string,
  signal?: AbortSignal,
): AsyncIterable<GenerationEvent> {
  const queue: GenerationEvent[] = [];
  let wake: (() => void) | null = null;
  let finished = false;
  const unsubscribe = bus.subscribe(topics.conversation(conversationId), (event) => {
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

/** What a stream that started an answer said first, kept to give the same answer again. */
export interface StartedAnswer {
  /** The stored user message (the stream's first event). */
  userMessage: Message;
  assistantMessageId: string;
}

/** Whether `entry` is the first event of the stream that started `answer`. */
export function startsAnswer(entry: StreamBufferEntry, answer: StartedAnswer): boolean {
  if (entry.id !== 1 || !entry.data.startsWith('{"type":"userMessage"')) return false;
  const event = JSON.parse(entry.data) as { data: { id?: unknown } };
  return event.data.id === answer.userMessage.id;
}

/** `first`, then the rest of `events`. */
export function prepend<T>(first: T, events: AsyncIterator<T>): AsyncIterable<T> {
  return {
    async *[Symbol.asyncIterator]() {
      try {
        yield first;
        while (true) {
          const next = await events.next();
          if (next.done) return;
          yield next.value;
        }
      } finally {
        await events.return?.();
      }
    },
  };
}

/**
 * Row 41's events for an answer that is over, rebuilt from what was stored: the answer's text as one
 * delta, then its end. The stream that first carried it split the text into more deltas, and a failure's
 * own error is only in the stream buffer (an hour); here a failed answer ends with `MODEL_UNAVAILABLE`, a
 * deleted one with `NOT_FOUND`, and one still being written (its events lost) with `UNAVAILABLE`.
 */
export async function* storedAnswerStream(
  answer: StartedAnswer,
  assistant: Message | null,
): AsyncGenerator<StreamBufferEntry> {
  const ref = { id: answer.assistantMessageId, conversationId: answer.userMessage.conversationId };
  const events: object[] = [
    { type: 'userMessage', data: answer.userMessage },
    { type: 'assistantMessageStart', data: ref },
  ];
  if (assistant !== null && assistant.content !== '') {
    events.push({ type: 'assistantMessageDelta', data: { ...ref, chunk: assistant.content } });
  }
  if (assistant === null) {
    events.push({ type: 'error', error: { code: 'NOT_FOUND', message: 'The answer was deleted' } });
  } else if (assistant.status === 'failed') {
    events.push({
      type: 'error',
      error: { code: 'MODEL_UNAVAILABLE', message: 'The model failed to answer; send the message again' },
    });
  } else if (assistant.status === 'streaming') {
    events.push({
      type: 'error',
      error: { code: 'UNAVAILABLE', message: 'The answer is still being written; list the messages' },
    });
  } else {
    events.push({ type: 'assistantMessageComplete', data: assistant }, { type: 'done', data: null });
  }
  for (const [i, event] of events.entries()) yield { id: i + 1, data: JSON.stringify(event) };
}
