/**
 * @module stream-buffer
 * Where a generation's stream events are kept while it runs and for a while after (1 h), so a client that
 * lost its connection can resume from its last event id on any instance. One buffer per key (a
 * conversation id); ids count from 1 and only grow. Every buffer expires; a lost write costs a client a gap
 * it can fill from `GET …/messages`.
 */

/** One buffered event: its id and its JSON. */
export interface StreamBufferEntry {
  id: number;
  data: string;
}

export interface StreamBuffer {
  /** Empties `key`'s buffer (a new generation starts; the previous one's events are dropped). */
  reset(key: string): Promise<void>;
  /** Appends event `id` (greater than every id before it) and renews the buffer's TTL. */
  append(key: string, id: number, data: string): Promise<void>;
  /** The events after `afterId` (exclusive), oldest first; `[]` when none (or no such buffer). */
  read(key: string, afterId: number): Promise<StreamBufferEntry[]>;
  close(): Promise<void>;
}
