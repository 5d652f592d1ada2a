/**
 * @module messages-service
 * Messages (contract rows 39–42, 44–45): reading, searching and deleting them, and sending one — which
 * stores the user message, runs the model on the conversation's context, and stores the answer and its
 * usage, in that order, each step durable.
 */
import type { Actor } from '../actor.ts';
import type { BudgetsService } from '../budgets/budgets-service.ts';
import { type ConversationDeps, publishSafely } from '../deps.ts';
import { forbidden, notFound, ZekkaError } from '../errors.ts';
import { topics } from '../events.ts';
import type { MessageListQuery as StoreMessageQuery } from '../ports/conversation-store.ts';
import type { MessageRecord } from '../ports/records.ts';
import type { StreamBufferEntry } from '../ports/stream-buffer.ts';
import { roleAtLeast } from '../projects/access.ts';
import { MessageListQuery, MessageSearchQuery, SendMessageBody } from '../schemas/conversations.ts';
import { parseInput } from '../support/validate.ts';
import type {
  Message,
  MessageListInput,
  MessageSearchHit,
  MessageSearchInput,
  Paged,
  SendMessageInput,
  SendMessageResult,
} from '../types.ts';
import { conversationFor } from './access.ts';
import { buildContext } from './context.ts';
import { prepend, type StartedAnswer, startsAnswer, storedAnswerStream } from './generation-streams.ts';
import type { GenerationEvent, GenerationResult, Generations } from './generations.ts';
import {
  type History,
  HistoryCache,
  type HistoryMessage,
  type HistoryStamp,
  historyCovers,
  historyMessage,
  makeHistory,
} from './history-cache.ts';
import { trimSnippet } from './snippet.ts';
import { toMessage } from './views.ts';

/** A started generation: the stored messages, its events, and its end. */
export interface StartedGeneration {
  userMessage: Message;
  /** The assistant message as stored when the generation started (status `streaming`). */
  assistantMessage: Message;
  /** The message's deltas, then `message:completed` or `generation:failed`, read off the event bus. */
  events: AsyncIterable<GenerationEvent>;
  /** Resolves once the answer and its usage are stored. */
  done: Promise<GenerationResult>;
}

export interface MessagesService {
  list(actor: Actor, conversationId: string, query: MessageListInput): Promise<Paged<Message>>;
  /** Row 40: waits for the answer. A model failure throws (the failed answer stays stored). */
  send(actor: Actor, conversationId: string, input: SendMessageInput): Promise<SendMessageResult>;
  /**
   * Row 41: starts the answer and returns at once. `signal` ends the returned `events` early (the client
   * left); the generation itself goes on and is stored.
   */
  stream(
    actor: Actor,
    conversationId: string,
    input: SendMessageInput,
    signal?: AbortSignal,
  ): Promise<StartedGeneration>;
  /**
   * Resumes the stream of the conversation's current (or last, for an hour) generation on any instance:
   * its buffered events after `lastEventId` (exclusive), then the live ones until `done` or `error`, with
   * row 41's ids. Readers of the conversation; `NOT_FOUND` when nothing runs and nothing is buffered.
   */
  resume(
    actor: Actor,
    conversationId: string,
    lastEventId: number,
    signal?: AbortSignal,
  ): Promise<AsyncIterable<StreamBufferEntry>>;
  /**
   * The events of an answer a stream started earlier, again from the first (a retry of row 41 with the
   * same `Idempotency-Key`): the buffered ones then the live ones while the buffer holds its generation,
   * otherwise rebuilt from the stored answer (see `storedAnswerStream`). Readers of the conversation.
   */
  answerStream(
    actor: Actor,
    conversationId: string,
    answer: StartedAnswer,
    signal?: AbortSignal,
  ): Promise<AsyncIterable<StreamBufferEntry>>;
  /** Row 42: aborts the running answer, keeping its text (`stopped`) and the usage consumed. */
  stop(actor: Actor, conversationId: string): Promise<{ stopped: boolean }>;
  /** Row 44: the author of a message or an owner of its project. */
  delete(actor: Actor, messageId: string): Promise<void>;
  /** Row 45: full-text search over what the caller can read. */
  search(actor: Actor, query: MessageSearchInput): Promise<Paged<MessageSearchHit>>;
}

async function* noEvents(): AsyncGenerator<GenerationEvent> {}

/** Room kept for the answer when fitting the context into the model's window. */
const MAX_RESERVED_OUTPUT = 8192;
/** How far back the context may reach; the token budget usually stops sooner. */
const HISTORY_LIMIT = 500;
/** How often, and how far apart, `answerStream` looks for a running answer's buffer before giving up. */
const ANSWER_LOOKS = 100;
const ANSWER_LOOK_MS = 50;
const FIRST_HISTORY_PAGE = 32;
/** Characters of history remembered over all conversations (about 32 MB of text). */
const HISTORY_CACHE_CHARS = 16_000_000;

export function createMessagesService(
  deps: ConversationDeps,
  generations: Generations,
  budgets: BudgetsService,
): MessagesService {
  const { store, clock, ids, models } = deps;
  const histories = new HistoryCache({
    messagesPerConversation: HISTORY_LIMIT,
    totalChars: HISTORY_CACHE_CHARS,
  });

  async function start(
    actor: Actor,
    conversationId: string,
    input: SendMessageInput,
    follow: { signal?: AbortSignal } | false,
  ): Promise<StartedGeneration> {
    const body = parseInput(SendMessageBody, input);
    const conversation = await conversationFor(store, actor, conversationId, 'editor');
    if (conversation.archived) {
      throw new ZekkaError('CONFLICT', 'The conversation is archived; unarchive it to continue');
    }
    if (conversation.projectStatus === 'archived') {
      throw new ZekkaError('CONFLICT', 'The project is archived; unarchive it to continue');
    }
    if (body.attachments && body.attachments.length > 0) {
      // Sources arrive with their own issue; until then no attachment id can exist.
      throw new ZekkaError('VALIDATION_FAILED', 'Unknown attachment', {
        details: body.attachments.map((_, i) => ({ path: `/attachments/${i}`, message: 'No such source' })),
      });
    }
    if (body.model !== undefined && models.resolve(body.model) === null) {
      throw new ZekkaError('VALIDATION_FAILED', 'Unknown model', {
        details: [{ path: '/model', message: 'Must be a model id from GET /models' }],
      });
    }
    const requested = body.model ?? conversation.model ?? models.defaultModel;
    const modelId = await budgets.modelFor(conversation.projectId, requested);
    const model = models.resolve(modelId);
    if (!model) throw new ZekkaError('MODEL_UNAVAILABLE', `The model ${modelId} is not configured`);

    const controller = generations.claim(conversationId);
    try {
      await generations.claimShared(conversationId);
      const userId = actor.kind === 'user' ? actor.userId : null;
      const reservedForOutput = Math.min(model.info.maxOutputTokens, MAX_RESERVED_OUTPUT);
      // The previous answer was stamped a millisecond ahead (below); a question sent within that
      // millisecond must still sort after it, or "oldest first" shows the answer after the next question.
      const now = Math.max(clock.now(), (conversation.lastMessageAt ?? 0) + 1);
      const question: MessageRecord = {
        id: ids.uuid(),
        conversationId,
        projectId: conversation.projectId,
        role: 'user',
        content: body.content,
        status: 'complete',
        model: null,
        authorId: userId,
        attachments: [],
        inputTokens: null,
        outputTokens: null,
        costMicroUsd: null,
        createdAt: now,
        updatedAt: now,
      };
      const placeholder: MessageRecord = {
        id: ids.uuid(),
        conversationId,
        projectId: conversation.projectId,
        role: 'assistant',
        content: '',
        status: 'streaming',
        model: model.info.id,
        authorId: null,
        attachments: [],
        inputTokens: null,
        outputTokens: null,
        costMicroUsd: null,
        // A distinct, later time keeps "oldest first" stable even when both land in one millisecond.
        createdAt: Math.max(clock.now(), now + 1),
        updatedAt: now,
      };
      // One write for both: the answer's first event can go out as soon as the question is stored.
      const [userMessage, assistant] = (await store.messages.createMany([question, placeholder])) as [
        MessageRecord,
        MessageRecord,
      ];
      await announceCreated(userMessage);
      await announceCreated(assistant);
      // Only a streaming caller reads the events; subscribing for `send` would leave a subscription behind.
      const events =
        follow === false ? noEvents() : generations.follow(conversationId, assistant.id, follow.signal);
      const stamp: HistoryStamp = {
        messageCount: conversation.messageCount,
        lastMessageAt: conversation.lastMessageAt,
      };
      let past: History | undefined;
      const done = generations.run(
        {
          userId,
          projectId: conversation.projectId,
          conversationId,
          userMessage: toMessage(userMessage),
          assistant,
          model,
          system: conversation.systemPrompt ?? undefined,
          // Assembled inside the job, after the caller has its first events: reading the history is the
          // slowest step before the model runs, and nothing the client sees first depends on it.
          context: async () => {
            const budget = model.info.contextWindow - reservedForOutput;
            past = await historyBefore(conversationId, stamp, budget, [userMessage.id, assistant.id]);
            return buildContext({
              system: conversation.systemPrompt,
              history: past.usable,
              message: body.content,
              contextWindow: model.info.contextWindow,
              reservedForOutput,
              countTokens: (text) => models.countTokens(text),
            });
          },
          maxOutputTokens: reservedForOutput,
        },
        controller,
      );
      // The conversation now holds the question and its answer: remember the history as of that state,
      // before `send` resumes its caller (who may send the next message at once).
      void done.then(({ message }) => {
        if (past === undefined || message.status === 'streaming') return;
        const after = { messageCount: stamp.messageCount + 2, lastMessageAt: assistant.createdAt };
        histories.set(conversationId, after, past, [
          historyMessage(message, models.countTokens(message.content)),
          historyMessage(userMessage, models.countTokens(userMessage.content)),
        ]);
      });
      return { userMessage: toMessage(userMessage), assistantMessage: toMessage(assistant), events, done };
    } catch (error) {
      generations.release(conversationId);
      throw error;
    }
  }

  /**
   * The conversation's messages before the ones being written (`writing`), newest first, enough to fill
   * `budget` tokens: remembered from the last send when the conversation is still as it was (`stamp`),
   * read otherwise.
   */
  async function historyBefore(
    conversationId: string,
    stamp: HistoryStamp,
    budget: number,
    writing: readonly string[],
  ): Promise<History> {
    const remembered = histories.get(conversationId, stamp);
    if (remembered !== undefined && historyCovers(remembered, budget)) return remembered;
    const read = await loadHistory(conversationId, budget);
    return makeHistory(
      read.messages.filter((message) => !writing.includes(message.id)),
      read.exhaustive,
    );
  }

  /**
   * The newest messages, enough to fill `budget` tokens: read in growing pages, so a conversation of long
   * messages costs one small read and only a conversation of short ones reads up to `HISTORY_LIMIT`.
   */
  async function loadHistory(
    conversationId: string,
    budget: number,
  ): Promise<{ messages: HistoryMessage[]; exhaustive: boolean }> {
    const counted = new Map<string, number>();
    for (let size = FIRST_HISTORY_PAGE; ; size = Math.min(size * 4, HISTORY_LIMIT)) {
      const page = await store.messages.recent(conversationId, size);
      let tokens = 0;
      const messages: HistoryMessage[] = page.map((record) => {
        const count = counted.get(record.id) ?? models.countTokens(record.content);
        counted.set(record.id, count);
        tokens += count;
        return historyMessage(record, count);
      });
      if (page.length < size || size === HISTORY_LIMIT) return { messages, exhaustive: true };
      if (tokens >= budget) return { messages, exhaustive: false };
    }
  }

  function announceCreated(message: MessageRecord) {
    return publishSafely(deps, {
      event: 'message:created',
      topics: [topics.conversation(message.conversationId)],
      data: { conversationId: message.conversationId, messageId: message.id, role: message.role },
      ts: clock.now(),
    });
  }

  return {
    async list(actor, conversationId, query) {
      const q = parseInput(MessageListQuery, query);
      const cursors = [q.offset !== undefined, q.before !== undefined, q.after !== undefined].filter(Boolean);
      if (cursors.length > 1) {
        throw new ZekkaError('VALIDATION_FAILED', 'Use one of offset, before or after', {
          details: [{ path: '/', message: 'offset, before and after are mutually exclusive' }],
        });
      }
      await conversationFor(store, actor, conversationId);
      const limit = q.limit ?? 50;
      const offset = q.offset ?? 0;
      const storeQuery: StoreMessageQuery =
        q.before !== undefined
          ? { limit, before: q.before }
          : q.after !== undefined
            ? { limit, after: q.after }
            : { limit, offset };
      const page = await store.messages.list(conversationId, storeQuery);
      return { items: page.items.map(toMessage), total: page.total, limit, offset };
    },

    async send(actor, conversationId, input) {
      const started = await start(actor, conversationId, input, false);
      const { message, error } = await started.done;
      if (error) throw new ZekkaError(error.code as ZekkaError['code'], error.message);
      const assistantMessage = toMessage(message);
      return {
        userMessage: started.userMessage,
        assistantMessage,
        usage: assistantMessage.usage ?? { inputTokens: 0, outputTokens: 0, costUsd: null },
      };
    },

    stream: (actor, conversationId, input, signal) =>
      start(actor, conversationId, input, signal === undefined ? {} : { signal }),

    async answerStream(actor, conversationId, answer, signal) {
      await conversationFor(store, actor, conversationId);
      for (let attempt = 1; ; attempt++) {
        const buffered = await generations.replay(conversationId, 0, signal);
        if (buffered !== null) {
          const events = buffered[Symbol.asyncIterator]();
          const first = await events.next();
          if (!first.done && startsAnswer(first.value, answer)) return prepend(first.value, events);
          await events.return?.();
        }
        const stored = await store.messages.findById(answer.assistantMessageId);
        const assistant = stored?.conversationId === conversationId ? toMessage(stored) : null;
        // Still running, its buffer not yet started (the generation resets it as it begins): look again.
        if (assistant?.status !== 'streaming' || attempt >= ANSWER_LOOKS || signal?.aborted) {
          return storedAnswerStream(answer, assistant);
        }
        await new Promise((resolve) => setTimeout(resolve, ANSWER_LOOK_MS));
      }
    },

    async stop(actor, conversationId) {
      await conversationFor(store, actor, conversationId, 'editor');
      return { stopped: await generations.stop(conversationId) };
    },

    async resume(actor, conversationId, lastEventId, signal) {
      await conversationFor(store, actor, conversationId);
      const events = await generations.replay(conversationId, lastEventId, signal);
      if (events === null) throw notFound('Stream');
      return events;
    },

    async delete(actor, messageId) {
      const message = await store.messages.findById(messageId);
      if (!message) throw notFound('Message');
      const conversation = await conversationFor(store, actor, message.conversationId).catch(() => {
        throw notFound('Message');
      });
      const isAuthor = actor.kind === 'user' && message.authorId === actor.userId;
      if (!isAuthor && !roleAtLeast(conversation.role, 'owner')) {
        throw forbidden('Only the author of a message or a project owner may delete it');
      }
      if (message.status === 'streaming') {
        throw new ZekkaError('CONFLICT', 'The message is still being written; stop the generation first');
      }
      const deleted = await store.messages.delete(messageId);
      histories.forget(message.conversationId);
      if (!deleted) throw notFound('Message');
      await publishSafely(deps, {
        event: 'message:deleted',
        topics: [topics.conversation(message.conversationId)],
        data: { conversationId: message.conversationId, messageId },
        ts: clock.now(),
      });
    },

    async search(actor, query) {
      const q = parseInput(MessageSearchQuery, query);
      if (actor.kind === 'system') throw new ZekkaError('FORBIDDEN', 'Searching messages needs a user');
      const limit = q.limit ?? 20;
      const offset = q.offset ?? 0;
      const text = q.q.trim();
      if (text === '') {
        throw new ZekkaError('VALIDATION_FAILED', 'The query is empty', {
          details: [{ path: '/q', message: 'Must not be blank' }],
        });
      }
      const page = await store.messages.search(actor.userId, {
        q: text,
        limit,
        offset,
        ...(q.projectId ? { projectId: q.projectId } : {}),
      });
      return {
        items: page.items.map((hit) => ({
          message: toMessage(hit.message),
          conversationId: hit.message.conversationId,
          projectId: hit.message.projectId,
          snippet: trimSnippet(hit.snippet),
        })),
        total: page.total,
        limit,
        offset,
      };
    },
  };
}
