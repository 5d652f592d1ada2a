/**
 * @module sqlite/message-cursor
 * The keyset side of `MessageListQuery`, shared by both dialects (like `like-pattern.ts`): which message a
 * page is anchored to, and the error for an anchor that is not a message of the conversation.
 */

import { type MessageListQuery, ZekkaError } from '@zekka/core';

export interface MessageCursor {
  /** The id of the message the page is anchored to. */
  id: string;
  /** `before`: the messages just older than the cursor; `after`: just newer. */
  direction: 'before' | 'after';
}

/** A `MessageListQuery` that pages around a message rather than by offset. */
export type KeysetQuery = Exclude<MessageListQuery, { offset: number }>;

/** The cursor of a keyset query. */
export function messageCursor(query: KeysetQuery): MessageCursor {
  return 'before' in query
    ? { id: query.before, direction: 'before' }
    : { id: query.after, direction: 'after' };
}

/** `VALIDATION_FAILED` pointing at the query field that named a message outside the conversation. */
export function invalidCursor(cursor: MessageCursor): ZekkaError {
  return new ZekkaError('VALIDATION_FAILED', 'The cursor is not a message of this conversation', {
    details: [{ path: `/${cursor.direction}`, message: 'Must be the id of a message in this conversation' }],
  });
}
