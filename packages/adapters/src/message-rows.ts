/**
 * @module message-rows
 * The layout of the `messages` and `usage_records` rows the hand-written send writes use
 * (`sqlite/message-writes.ts`, `postgres/message-writes.ts`): the column lists, the values in their
 * order, and a `messages` row back to a record. The two dialects name and order the columns the same
 * way; they differ only in how a row comes back (SQLite: JSON as text; Postgres: `bigint` as text), which
 * `toMessageRecord` reads either way.
 */
import type { MessageRecord, UsageRecord } from '@zekka/core';

export const MESSAGE_COLUMNS =
  'id, conversation_id, project_id, role, content, status, model, author_id, attachments, input_tokens, ' +
  'output_tokens, cost_micro_usd, created_at, updated_at';

export const USAGE_COLUMNS =
  'id, user_id, project_id, conversation_id, agent_id, message_id, provider, model, input_tokens, ' +
  'cache_read_tokens, cache_write_tokens, output_tokens, reasoning_tokens, cost_micro_usd, price_version, ' +
  'latency_ms, outcome, created_at';

type Value = string | number | null;

/** `message` as the values of `MESSAGE_COLUMNS`, in order (the attachments as JSON text). */
export function messageValues(m: MessageRecord): Value[] {
  return [
    m.id,
    m.conversationId,
    m.projectId,
    m.role,
    m.content,
    m.status,
    m.model,
    m.authorId,
    JSON.stringify(m.attachments),
    m.inputTokens,
    m.outputTokens,
    m.costMicroUsd,
    m.createdAt,
    m.updatedAt,
  ];
}

/** `usage` as the values of `USAGE_COLUMNS`, in order. */
export function usageValues(u: UsageRecord): Value[] {
  return [
    u.id,
    u.userId,
    u.projectId,
    u.conversationId,
    u.agentId,
    u.messageId,
    u.provider,
    u.model,
    u.inputTokens,
    u.cacheReadTokens,
    u.cacheWriteTokens,
    u.outputTokens,
    u.reasoningTokens,
    u.costMicroUsd,
    u.priceVersion,
    u.latencyMs,
    u.outcome,
    u.createdAt,
  ];
}

/** A row of `MESSAGE_COLUMNS` as a driver returns it. */
export interface MessageRow {
  id: string;
  conversation_id: string;
  project_id: string;
  role: MessageRecord['role'];
  content: string;
  status: MessageRecord['status'];
  model: string | null;
  author_id: string | null;
  /** JSON text (SQLite) or already parsed (Postgres `jsonb`). */
  attachments: string | string[];
  input_tokens: number | null;
  output_tokens: number | null;
  /** A number (SQLite) or `bigint` text (Postgres). */
  cost_micro_usd: number | string | null;
  created_at: number | string;
  updated_at: number | string;
}

export function toMessageRecord(row: MessageRow): MessageRecord {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    projectId: row.project_id,
    role: row.role,
    content: row.content,
    status: row.status,
    model: row.model,
    authorId: row.author_id,
    attachments:
      typeof row.attachments === 'string' ? (JSON.parse(row.attachments) as string[]) : row.attachments,
    inputTokens: row.input_tokens,
    outputTokens: row.output_tokens,
    costMicroUsd: row.cost_micro_usd === null ? null : Number(row.cost_micro_usd),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}
