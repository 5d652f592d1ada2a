/**
 * @module redis-stream-buffer
 * The `StreamBuffer` several instances share: one Redis Stream per conversation,
 * `<keyPrefix>stream:<conversationId>`, whose entry ids are `0-<event id>` so `XRANGE (0-<n> +` is exactly
 * "the events after Last-Event-ID". Each `XADD` trims the stream (`MAXLEN ~`) and renews the key's TTL
 * (1 h), so a buffer outlives its generation by an hour and nothing stays forever. Every command fails fast
 * while Redis is away (the client from `createRedisClient`); the generation goes on without its buffer.
 */

import type { createRedisClient } from '@zekka/adapters/redis';
import type { StreamBuffer, StreamBufferEntry } from '@zekka/core';

type RedisClient = ReturnType<typeof createRedisClient>;

export interface RedisStreamBufferOptions {
  /** A client from `createRedisClient`; closed by `close()` when `owned`. */
  client: RedisClient;
  /** @default 'zekka:' */
  keyPrefix?: string;
  /** @default 3_600_000 (1 h) */
  ttlMs?: number;
  /** Approximate entries kept per stream. @default 20_000 */
  maxEntries?: number;
  /** Quit the client on `close()`. @default true */
  owned?: boolean;
}

export function createRedisStreamBuffer(options: RedisStreamBufferOptions): StreamBuffer {
  const { client } = options;
  const prefix = `${options.keyPrefix ?? 'zekka:'}stream:`;
  const ttlMs = options.ttlMs ?? 3_600_000;
  const maxEntries = options.maxEntries ?? 20_000;
  return {
    async reset(key) {
      await client.del(prefix + key);
    },
    async append(key, id, data) {
      const results = await client
        .multi()
        .xadd(prefix + key, 'MAXLEN', '~', maxEntries, `0-${id}`, 'd', data)
        .pexpire(prefix + key, ttlMs)
        .exec();
      const failure = results?.find(([error]) => error !== null)?.[0];
      if (failure) throw failure;
    },
    async read(key, afterId) {
      const rows = await client.xrange(prefix + key, `(0-${afterId}`, '+');
      const entries: StreamBufferEntry[] = [];
      for (const [entryId, fields] of rows) {
        const id = Number(entryId.slice(entryId.indexOf('-') + 1));
        const data = fields[fields.indexOf('d') + 1];
        if (Number.isSafeInteger(id) && data !== undefined) entries.push({ id, data });
      }
      return entries;
    },
    async close() {
      if (options.owned === false) return;
      await client.quit().catch(() => client.disconnect());
    },
  };
}
