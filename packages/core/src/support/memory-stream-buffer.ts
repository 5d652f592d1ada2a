/**
 * @module support/memory-stream-buffer
 * The one-instance `StreamBuffer`: in this process's memory, bounded in entries per buffer, in buffers, and
 * in time. Several instances need a shared one (Redis Streams, `@zekka/server`'s wiring of `REDIS_URL`).
 */
import type { StreamBuffer, StreamBufferEntry } from '../ports/stream-buffer.ts';

export interface MemoryStreamBufferOptions {
  /** How long a buffer lives after its last append. @default 3_600_000 (1 h) */
  ttlMs?: number;
  /** Entries kept per buffer; the oldest go first. @default 20_000 */
  maxEntries?: number;
  /** Buffers kept; the least recently written goes first. @default 1_000 */
  maxBuffers?: number;
  /** @default Date.now */
  now?: () => number;
}

export function createMemoryStreamBuffer(options: MemoryStreamBufferOptions = {}): StreamBuffer {
  const ttlMs = options.ttlMs ?? 3_600_000;
  const maxEntries = options.maxEntries ?? 20_000;
  const maxBuffers = options.maxBuffers ?? 1_000;
  const now = options.now ?? Date.now;
  // Insertion order = least recently written first (a write moves its buffer to the end).
  const buffers = new Map<string, { entries: StreamBufferEntry[]; expiresAt: number }>();

  const live = (key: string) => {
    const buffer = buffers.get(key);
    if (buffer && buffer.expiresAt <= now()) {
      buffers.delete(key);
      return undefined;
    }
    return buffer;
  };

  return {
    async reset(key) {
      buffers.delete(key);
    },
    async append(key, id, data) {
      const buffer = live(key) ?? { entries: [], expiresAt: 0 };
      buffers.delete(key);
      buffer.entries.push({ id, data });
      if (buffer.entries.length > maxEntries) buffer.entries.splice(0, buffer.entries.length - maxEntries);
      buffer.expiresAt = now() + ttlMs;
      buffers.set(key, buffer);
      while (buffers.size > maxBuffers) {
        const oldest = buffers.keys().next().value;
        if (oldest === undefined) break;
        buffers.delete(oldest);
      }
    },
    async read(key, afterId) {
      const entries = live(key)?.entries ?? [];
      return entries.filter((entry) => entry.id > afterId);
    },
    async close() {
      buffers.clear();
    },
  };
}
