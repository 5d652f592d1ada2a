/**
 * @module
 * The floor under `message.send`: what the store's writes of one send cost behind bare Elysia, with
 * nothing else — no authentication, no conversation or budget read, no model, no events. The reference
 * server serves it at `POST /floor/messages` (scenario `ref.writes`), on a fresh SQLite file of its own
 * through the public `Store` API, the same calls Zekka makes for a send: the question and the placeholder
 * answer in one `createMany`, then `complete` with the answer and its usage row. `message.send` is
 * compared with it, so the table says how much of a send is storage and how much is everything else.
 */

import { createSqliteStore } from '@zekka/adapters/sqlite';
import type { ConversationRecord, MessageRecord, Store } from '@zekka/core';
import { uuidv7 } from '@zekka/core';

/** As many conversations as connections (`--connections` defaults to 50); sends rotate over them. */
const CONVERSATIONS = 64;

export interface WritesFloor {
  /** One send's writes for `content`; resolves with the two stored messages. */
  send(content: string): Promise<{ userMessage: MessageRecord; assistantMessage: MessageRecord | null }>;
  close(): Promise<void>;
}

/** Opens a store on `path` (a fresh file), with one user, one project and its conversations. */
export async function openWritesFloor(path: string): Promise<WritesFloor> {
  const store: Store = createSqliteStore({ url: `sqlite:${path}` });
  const now = Date.now();
  const user = await store.users.create({
    id: uuidv7(),
    email: 'floor@bench.test',
    name: 'Floor',
    avatarUrl: null,
    role: 'user',
    passwordHash: 'not-a-hash',
    emailVerifiedAt: now,
    disabledAt: null,
    failedLoginCount: 0,
    lockedUntil: null,
    createdAt: now,
    updatedAt: now,
  });
  const project = await store.projects.createWithOwner({
    id: uuidv7(),
    name: 'Floor',
    description: null,
    status: 'active',
    settings: {},
    ownerId: user.id,
    createdAt: now,
    updatedAt: now,
    deletedAt: null,
  });
  const conversations: ConversationRecord[] = [];
  for (let i = 0; i < CONVERSATIONS; i++) {
    conversations.push(
      await store.conversations.create({
        id: uuidv7(),
        projectId: project.id,
        title: null,
        model: null,
        agentId: null,
        systemPrompt: null,
        archived: false,
        createdBy: user.id,
        createdAt: now,
        updatedAt: now,
        deletedAt: null,
      }),
    );
  }

  let next = 0;
  const message = (conversation: ConversationRecord, at: number, fields: Partial<MessageRecord>) => ({
    id: uuidv7(),
    conversationId: conversation.id,
    projectId: project.id,
    role: 'user' as const,
    content: '',
    status: 'complete' as const,
    model: null,
    authorId: user.id,
    attachments: [],
    inputTokens: null,
    outputTokens: null,
    costMicroUsd: null,
    createdAt: at,
    updatedAt: at,
    ...fields,
  });

  return {
    async send(content) {
      const conversation = conversations[next++ % conversations.length] as ConversationRecord;
      const at = Date.now();
      const userMessage = message(conversation, at, { content });
      const answer = message(conversation, at + 1, {
        role: 'assistant',
        status: 'streaming',
        model: 'echo',
        authorId: null,
      });
      await store.messages.createMany([userMessage, answer]);
      const done = Date.now();
      const assistantMessage = await store.messages.complete(
        answer.id,
        {
          content: `Echo: ${content}`,
          status: 'complete',
          model: 'echo',
          inputTokens: 16,
          outputTokens: 16,
          costMicroUsd: 0,
          updatedAt: done,
        },
        {
          id: uuidv7(),
          userId: user.id,
          projectId: project.id,
          conversationId: conversation.id,
          agentId: null,
          messageId: answer.id,
          provider: 'echo',
          model: 'echo',
          inputTokens: 16,
          cacheReadTokens: 0,
          cacheWriteTokens: 0,
          outputTokens: 16,
          reasoningTokens: 0,
          costMicroUsd: 0,
          priceVersion: 'floor',
          latencyMs: done - at,
          outcome: 'complete',
          createdAt: done,
        },
      );
      return { userMessage, assistantMessage };
    },
    close: () => store.close(),
  };
}
