/**
 * @module sqlite/message-writes
 * The writes of every sent message — store the question and the placeholder answer, then complete the
 * answer with its usage — on statements `bun:sqlite` compiles once and keeps (`Database.query` caches by
 * SQL text). drizzle's query builder re-prepares a statement on every call, which cost more than the
 * writes themselves on this path. The rows' layout (columns, values, the row read back) is
 * `message-rows.ts`, shared with Postgres; the conformance suite checks the result like any other write.
 *
 * These are the only statements that insert messages or change their content, and they keep the search
 * index (`messages_fts`, external content, keyed by the message's rowid) in step themselves, in the same
 * transaction: every inserted content is indexed, and a replaced content is taken out before the new one
 * goes in. (Triggers did this until migration 0003, which says why they no longer do.) The index statements
 * go through `atCommit`: under group commit they run at the end of the batch (see `group-commit.ts`).
 * Likewise each insert counts its message in `conversation_stats` (a trigger did until migration 0005).
 */
import type { Database } from 'bun:sqlite';
import type { MessageCompletion, MessageRecord, UsageRecord } from '@zekka/core';
import {
  MESSAGE_COLUMNS,
  type MessageRow,
  messageValues,
  toMessageRecord,
  USAGE_COLUMNS,
  usageValues,
} from '../message-rows.ts';

export interface MessageWrites {
  /** Bumps the live conversation (in the message's project) and inserts the message; false if not live. */
  insert(message: MessageRecord): boolean;
  /** Completes the message and records the usage; the updated row, or null if the message is gone. */
  complete(id: string, completion: MessageCompletion, usage: UsageRecord | null): MessageRecord | null;
}

/**
 * @param atCommit runs an index statement before the write's transaction commits (by default, at once).
 */
export function createMessageWrites(
  client: Database,
  atCommit: (statement: () => void) => void = (statement) => statement(),
): MessageWrites {
  // No RETURNING (SQLite runs it as a trigger, which this SQLite recompiles on every run): `changes` says
  // whether the conversation was live. The project's liveness is a scalar subquery for the same reason:
  // `EXISTS` becomes a join (see `isLiveConversation`).
  const touch = client.query<unknown, [number, string, string]>(
    `UPDATE conversations SET updated_at = ?1
      WHERE id = ?2 AND project_id = ?3 AND deleted_at IS NULL
        AND (SELECT lp.deleted_at IS NULL FROM projects lp WHERE lp.id = conversations.project_id)`,
  );
  const insert = client.query(
    `INSERT INTO messages (${MESSAGE_COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)`,
  );
  // As the trigger of migration 0004 did; deletes still go through its delete trigger.
  const countMessage = client.query<unknown, [string, number]>(
    `INSERT INTO conversation_stats (conversation_id, message_count, last_message_at) VALUES (?1, 1, ?2)
      ON CONFLICT (conversation_id) DO UPDATE SET
        message_count = message_count + 1,
        last_message_at = max(coalesce(last_message_at, excluded.last_message_at), excluded.last_message_at)`,
  );
  const indexContent = client.query<unknown, [number | bigint, string]>(
    'INSERT INTO messages_fts (rowid, content) VALUES (?1, ?2)',
  );
  // An external-content table is told the exact text it indexed for the row, to take its entries out.
  const unindexContent = client.query<unknown, [number | bigint, string]>(
    "INSERT INTO messages_fts (messages_fts, rowid, content) VALUES ('delete', ?1, ?2)",
  );
  // The row before it is completed, with its rowid (the search index's key); the completed row is this
  // one with the completion's fields, in the same transaction, so the UPDATE needs no RETURNING (see
  // `touch`).
  const current = client.query<MessageRow & { rowid: number }, [string]>(
    `SELECT rowid, ${MESSAGE_COLUMNS} FROM messages WHERE id = ?1`,
  );
  const finish = client.query<
    unknown,
    [string, string, string | null, number | null, number | null, number | null, number, number]
  >(
    `UPDATE messages SET content = ?1, status = ?2, model = ?3, input_tokens = ?4, output_tokens = ?5,
        cost_micro_usd = ?6, updated_at = ?7
      WHERE rowid = ?8`,
  );
  // An account deleted while its answer was generated: the usage stays, without a user, as the foreign
  // key's SET NULL would have left it.
  const record = client.query(
    `INSERT INTO usage_records (${USAGE_COLUMNS}) VALUES (?1, (SELECT id FROM users WHERE id = ?2), ?3, ?4, ?5,
      ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)`,
  );

  return {
    insert(m) {
      if (touch.run(m.createdAt, m.conversationId, m.projectId).changes === 0) return false;
      const { lastInsertRowid } = insert.run(...messageValues(m));
      countMessage.run(m.conversationId, m.createdAt);
      const content = m.content;
      atCommit(() => indexContent.run(lastInsertRowid, content));
      return true;
    },

    complete(id, c, usage) {
      const before = current.get(id);
      if (before === null) return null;
      finish.run(
        c.content,
        c.status,
        c.model,
        c.inputTokens,
        c.outputTokens,
        c.costMicroUsd,
        c.updatedAt,
        before.rowid,
      );
      const old = before.content;
      if (c.content !== old) {
        const { rowid } = before;
        const content = c.content;
        atCommit(() => {
          unindexContent.run(rowid, old);
          indexContent.run(rowid, content);
        });
      }
      if (usage !== null) {
        record.run(...usageValues(usage));
      }
      const { content, status, model, inputTokens, outputTokens, costMicroUsd, updatedAt } = c;
      return {
        ...toMessageRecord(before),
        content,
        status,
        model,
        inputTokens,
        outputTokens,
        costMicroUsd,
        updatedAt,
      };
    },
  };
}
