/**
 * @module postgres/message-writes
 * The writes of every sent message on Postgres — store the question and the placeholder answer, then
 * complete the answer with its usage — as named statements on a client of the pool, in transactions of
 * their own: Postgres parses and plans each statement once per connection, and nothing is built per call.
 * Built with drizzle (its query builder and its transactions), these writes cost the server about twice
 * the CPU, most of a send's (see docs/adapters.md). The rows' layout (columns, values, the row read back)
 * is `message-rows.ts`, shared with SQLite; the conformance suite checks the results like any other write.
 *
 * Locks are taken in the order every write of this store follows — the user, then the project (the
 * key-share locks the foreign keys would take last), then the conversation, then the messages — so a
 * concurrent account or project delete queues behind a send instead of deadlocking with it.
 */
import type { MessageCompletion, MessageRecord, UsageRecord } from '@zekka/core';
import { ZekkaError } from '@zekka/core';
import type pg from 'pg';
import {
  MESSAGE_COLUMNS,
  type MessageRow,
  messageValues,
  toMessageRecord,
  USAGE_COLUMNS,
  usageValues,
} from '../message-rows.ts';
import { retryOnce } from './errors.ts';

/** A named statement: `pg` parses it once per connection and binds it afterwards. */
const statement = (name: string, text: string) => (values: unknown[]) => ({
  name: `zekka_write_${name}`,
  text,
  values,
});

const lockUser = statement('lock_user', 'SELECT 1 FROM users WHERE id = $1 FOR KEY SHARE');
const lockProject = statement('lock_project', 'SELECT 1 FROM projects WHERE id = $1 FOR KEY SHARE');
// The common case in one round trip: Postgres evaluates a select list in order, the user's lock first.
const lockUserThenProject = statement(
  'lock_user_project',
  `SELECT (SELECT 1 FROM users WHERE id = $1 FOR KEY SHARE),
          (SELECT 1 FROM projects WHERE id = $2 FOR KEY SHARE)`,
);
// Finds the conversation live (and in the message's project) and locks it, in one statement.
const touch = statement(
  'touch',
  `UPDATE conversations SET updated_at = $1
    WHERE id = $2 AND project_id = $3 AND deleted_at IS NULL
      AND EXISTS (SELECT 1 FROM projects lp WHERE lp.id = conversations.project_id AND lp.deleted_at IS NULL)`,
);
const insert = statement(
  'insert_message',
  `INSERT INTO messages (${MESSAGE_COLUMNS})
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb, $10, $11, $12, $13, $14)`,
);
// The UPDATE locks the message: a concurrent delete either ran first (no row) or waits for the commit.
const finish = statement(
  'finish_message',
  `UPDATE messages SET content = $1, status = $2, model = $3, input_tokens = $4, output_tokens = $5,
      cost_micro_usd = $6, updated_at = $7
    WHERE id = $8
    RETURNING ${MESSAGE_COLUMNS}`,
);
// An account deleted while its answer was generated: the usage stays, without a user, as the foreign
// key's SET NULL would have left it.
const record = statement(
  'insert_usage',
  `INSERT INTO usage_records (${USAGE_COLUMNS})
    VALUES ($1, (SELECT id FROM users WHERE id = $2), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,
      $15, $16, $17, $18)`,
);

/**
 * Runs `body` in one READ COMMITTED transaction on a client of `pool`, a second time if Postgres aborted
 * it as a deadlock or serialization failure (as `atomic` does for drizzle's transactions).
 */
function transaction<T>(pool: pg.Pool, body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  return retryOnce(async () => {
    const client = await pool.connect();
    // A client whose ROLLBACK failed is in an unknown state: released with the error, the pool drops it.
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await body(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollbackFailed: Error) => {
        broken = rollbackFailed;
      });
      throw error;
    } finally {
      client.release(broken);
    }
  });
}

/** Key-share locks on each user, then each project, of the rows a write adds (each one once). */
async function lockParents(
  client: pg.PoolClient,
  parents: readonly { userId: string | null; projectId: string }[],
): Promise<void> {
  const userIds = new Set(parents.flatMap(({ userId }) => (userId === null ? [] : [userId])));
  const projectIds = new Set(parents.map((parent) => parent.projectId));
  if (userIds.size === 1 && projectIds.size === 1) {
    await client.query(lockUserThenProject([...userIds, ...projectIds]));
    return;
  }
  for (const userId of userIds) await client.query(lockUser([userId]));
  for (const projectId of projectIds) await client.query(lockProject([projectId]));
}

export interface PostgresMessageWrites {
  /**
   * Inserts the messages in one transaction, each conversation bumped (`updatedAt`, the createdAt of its
   * last message in `list`) and locked first; `NOT_FOUND` unless every conversation is live in the
   * message's project.
   */
  insert(list: readonly MessageRecord[]): Promise<MessageRecord[]>;
  /** Completes the message and records the usage together; the updated row, or null if the message is gone. */
  complete(
    id: string,
    completion: MessageCompletion,
    usage: UsageRecord | null,
  ): Promise<MessageRecord | null>;
}

export function createMessageWrites(pool: pg.Pool): PostgresMessageWrites {
  return {
    insert: (list) =>
      transaction(pool, async (client) => {
        await lockParents(
          client,
          list.map((message) => ({ userId: message.authorId, projectId: message.projectId })),
        );
        // Each conversation once, with the time of its last message here (the last one written wins).
        const touched = new Map<string, MessageRecord>();
        for (const message of list) touched.set(message.conversationId, message);
        for (const message of touched.values()) {
          const { rowCount } = await client.query(
            touch([message.createdAt, message.conversationId, message.projectId]),
          );
          if (rowCount === 0) throw new ZekkaError('NOT_FOUND', 'Conversation not found');
        }
        for (const m of list) {
          await client.query(insert(messageValues(m)));
        }
        return list.map((message) => ({ ...message, attachments: [...message.attachments] }));
      }),

    complete: (id, c, usage) =>
      transaction(pool, async (client) => {
        if (usage !== null) await lockParents(client, [usage]);
        const { rows } = await client.query<MessageRow>(
          finish([
            c.content,
            c.status,
            c.model,
            c.inputTokens,
            c.outputTokens,
            c.costMicroUsd,
            c.updatedAt,
            id,
          ]),
        );
        const row = rows[0];
        if (row === undefined) return null;
        if (usage !== null) {
          await client.query(record(usageValues(usage)));
        }
        return toMessageRecord(row);
      }),
  };
}
