/**
 * @module conversation-store
 * Repositories for conversations, messages, usage and budgets. The conventions of `store.ts` apply
 * (null for not found, `CONFLICT` for uniqueness, `{ items, total }` pages, times passed in by the caller).
 * Conversations of a soft-deleted project, and soft-deleted conversations, are invisible to every method
 * here except `conversations.findById`.
 */

import type {
  BudgetRecord,
  ConversationAccess,
  ConversationRecord,
  ConversationView,
  MessageRecord,
  MessageStatus,
  UsageRecord,
} from './records.ts';
import type { Page, PageQuery } from './store.ts';

export interface ConversationListQuery extends PageQuery {
  projectId?: string;
  /** Case-insensitive substring of the title. */
  search?: string;
}

export type ConversationPatch = Partial<
  Pick<ConversationRecord, 'title' | 'model' | 'agentId' | 'systemPrompt' | 'archived'>
> & { updatedAt: number };

export interface ConversationRepository {
  /** Inserts a conversation. Throws `NOT_FOUND` when its project does not exist or is deleted. */
  create(conversation: ConversationRecord): Promise<ConversationRecord>;
  /** Any conversation by id, deleted ones included. */
  findById(id: string): Promise<ConversationRecord | null>;
  /**
   * The conversation with the user's project role, its project's status and its message stats, or `null`
   * if not visible. With `userId` `null` (a system actor) membership is not checked and the role is `owner`.
   */
  findForMember(conversationId: string, userId: string | null): Promise<ConversationAccess | null>;
  /** Conversations in the user's projects, newest `updatedAt` first (then id descending). */
  listForMember(userId: string, query: ConversationListQuery): Promise<Page<ConversationView>>;
  /** Every live conversation the user created (account export), oldest first. */
  listByCreator(userId: string): Promise<ConversationRecord[]>;
  update(id: string, patch: ConversationPatch): Promise<ConversationRecord | null>;
  /** Sets `deletedAt`; `false` if missing or already deleted. */
  softDelete(id: string, now: number): Promise<boolean>;
}

/** Offset paging, or keyset paging around a message id (`before` / `after`), always oldest first. */
export type MessageListQuery =
  | { limit: number; offset: number }
  | { limit: number; before: string }
  | { limit: number; after: string };

export interface MessageSearchQuery extends PageQuery {
  /** Words to find; matched by the dialect's full-text search (SQLite FTS5, Postgres `tsvector`). */
  q: string;
  projectId?: string;
}

export interface MessageSearchRow {
  message: MessageRecord;
  /** A short excerpt around the match, with the matched words wrapped in `**`. */
  snippet: string;
}

export interface MessageCompletion {
  content: string;
  status: Exclude<MessageStatus, 'streaming'>;
  model: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costMicroUsd: number | null;
  updatedAt: number;
}

export interface MessageRepository {
  /**
   * Inserts a message, indexes it for search and sets the conversation's `updatedAt` to the message's
   * `createdAt`, atomically. Throws `NOT_FOUND` when the conversation does not exist.
   */
  create(message: MessageRecord): Promise<MessageRecord>;
  /**
   * `create` for several messages, in order, atomically: all are stored or none (a question and the
   * placeholder of its answer, written together so the answer can start streaming one write sooner).
   */
  createMany(messages: readonly MessageRecord[]): Promise<MessageRecord[]>;
  findById(id: string): Promise<MessageRecord | null>;
  /**
   * Messages of a conversation, oldest first (`createdAt`, then id). With `before`/`after`, the page is
   * the `limit` messages immediately before/after that message; `total` is always the conversation's
   * message count. A cursor that is not a message of this conversation throws `VALIDATION_FAILED`.
   */
  list(conversationId: string, query: MessageListQuery): Promise<Page<MessageRecord>>;
  /** The newest `limit` messages, newest first (for building a model's context). */
  recent(conversationId: string, limit: number): Promise<MessageRecord[]>;
  /**
   * Stores an assistant message's final content, status and usage, re-indexes it for search and, when
   * given, inserts the usage record — all atomically. Returns `null` if the message no longer exists
   * (then nothing is written).
   */
  complete(
    id: string,
    completion: MessageCompletion,
    usage: UsageRecord | null,
  ): Promise<MessageRecord | null>;
  /** Deletes the message and its search entry; `false` if it did not exist. */
  delete(id: string): Promise<boolean>;
  /** Full-text search over messages in live conversations of live projects the user is a member of. */
  search(userId: string, query: MessageSearchQuery): Promise<Page<MessageSearchRow>>;
  /** Every message the user wrote (account export), oldest first. */
  listByAuthor(userId: string): Promise<MessageRecord[]>;
}

export interface UsageTotals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  /** Σ of known costs; unpriced calls add nothing. */
  costMicroUsd: number;
}

export interface UsageRepository {
  record(usage: UsageRecord): Promise<void>;
  /** Σ `costMicroUsd` of the project's usage with `from <= createdAt < to`. */
  spent(projectId: string, from: number, to: number): Promise<number>;
  /** Totals of the project's usage since `from` (inclusive; all time when omitted). */
  totals(projectId: string, from?: number): Promise<UsageTotals>;
  /** Every usage row of the user (account export), oldest first. */
  listByUser(userId: string): Promise<UsageRecord[]>;
}

export interface BudgetRepository {
  get(projectId: string): Promise<BudgetRecord | null>;
  /** Inserts or replaces the project's budget. */
  put(budget: BudgetRecord): Promise<BudgetRecord>;
}

/** The repositories of the conversation domain, part of every `Store`. */
export interface ConversationRepositories {
  readonly conversations: ConversationRepository;
  readonly messages: MessageRepository;
  readonly usage: UsageRepository;
  readonly budgets: BudgetRepository;
}
