/**
 * @module conversations/history-cache
 * The recent messages of the conversations this instance answers in, with their token counts, so that a
 * model call does not read (and count) up to `HISTORY_LIMIT` messages again for every message sent.
 *
 * An entry is valid for one state of its conversation, named by its stamp: the message count and the time
 * of the newest message, both read with the conversation on every send. Any insert or delete — on this
 * instance or another sharing the store — changes the stamp, and the next send reads the history afresh.
 * After a generation the entry moves on by itself: its question and answer are added and the stamp is the
 * one the store now shows (two more messages, the newest the answer). Deletes on this instance drop the
 * entry at once.
 *
 * What the stamp cannot see: an edit that changes neither count nor newest time. Messages are written
 * once and completed once (by the generation that holds the conversation), so there are none today; a
 * feature that edits messages must drop the entry (`forget`).
 */
import type { ChatTurn } from '../ports/models.ts';
import type { MessageRecord } from '../ports/records.ts';

/** What the context needs of a message, with its token count (counted once, when it was remembered). */
export interface HistoryMessage {
  id: string;
  role: MessageRecord['role'];
  status: MessageRecord['status'];
  content: string;
  tokens: number;
  /**
   * The message as a model is sent it (none for a system message), made once: every context that includes
   * the message sends this same object, so building one allocates nothing per message, and a model may
   * remember what it learned of a turn (the echo model, its token count) by the object.
   */
  turn: ChatTurn | null;
}

/** A conversation's state as the store reports it with the conversation. */
export interface HistoryStamp {
  messageCount: number;
  lastMessageAt: number | null;
}

/**
 * What a context can use of a history, oldest first: the turns of the messages a model is sent (not
 * failed, empty, still streaming or system ones) and, in step, the token count of each. Kept beside the
 * messages so that building a context walks an array of numbers and copies an array of references: a
 * conversation of hundreds of messages spreads its objects over the heap, and visiting each of them on
 * every send cost more than the rest of the send.
 */
export interface UsableTurns {
  turns: readonly ChatTurn[];
  tokens: readonly number[];
}

/** A conversation's newest messages, newest first. */
export interface History {
  messages: readonly HistoryMessage[];
  /**
   * Whether `messages` are all the conversation has, or the newest `limit` of them; otherwise they are
   * the newest ones adding up to at least `tokens`, enough for any smaller budget.
   */
  exhaustive: boolean;
  /** The tokens of `messages`. */
  tokens: number;
  /** The characters of the contents of `messages`. */
  chars: number;
  usable: UsableTurns;
}

interface Entry extends History {
  stamp: HistoryStamp;
}

export interface HistoryCacheLimits {
  /** Messages kept per conversation: the most any context reads. */
  messagesPerConversation: number;
  /** Characters of content kept over all conversations; the least recently used go first. */
  totalChars: number;
}

export function historyMessage(message: MessageRecord, tokens: number): HistoryMessage {
  const { id, role, status, content } = message;
  const turn = role === 'system' ? null : { role, content };
  return { id, role, status, content, tokens, turn };
}

/** Whether a context may include the message: failed answers and empty ones carry nothing to build on. */
function usable(message: HistoryMessage): boolean {
  return (
    message.turn !== null &&
    message.status !== 'failed' &&
    message.status !== 'streaming' &&
    message.content !== ''
  );
}

/** The history of `messages` (newest first), counted. */
export function makeHistory(messages: readonly HistoryMessage[], exhaustive: boolean): History {
  let tokens = 0;
  let chars = 0;
  const turns: ChatTurn[] = [];
  const turnTokens: number[] = [];
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as HistoryMessage;
    tokens += message.tokens;
    chars += message.content.length;
    if (!usable(message)) continue;
    turns.push(message.turn as ChatTurn);
    turnTokens.push(message.tokens);
  }
  return { messages, exhaustive, tokens, chars, usable: { turns, tokens: turnTokens } };
}

/** Whether `history` holds every message a context of `budget` tokens could use. */
export function historyCovers(history: History, budget: number): boolean {
  return history.exhaustive || history.tokens >= budget;
}

export class HistoryCache {
  /** In least recently used order: a `Map` iterates in insertion order, and a hit re-inserts. */
  private readonly entries = new Map<string, Entry>();
  private chars = 0;

  constructor(private readonly limits: HistoryCacheLimits) {}

  /** The conversation's history when the entry is of the state `stamp` names. */
  get(conversationId: string, stamp: HistoryStamp): History | undefined {
    const entry = this.entries.get(conversationId);
    if (entry === undefined) return undefined;
    if (!sameStamp(entry.stamp, stamp)) {
      this.forget(conversationId);
      return undefined;
    }
    this.entries.delete(conversationId);
    this.entries.set(conversationId, entry);
    return entry;
  }

  /**
   * Remembers the history of the state `stamp` names: `newer` (newest first) added in front of `history`,
   * cut to the per-conversation limit. Only the messages added and those cut are visited.
   */
  set(
    conversationId: string,
    stamp: HistoryStamp,
    history: History,
    newer: readonly HistoryMessage[] = [],
  ): void {
    this.forget(conversationId);
    const added = makeHistory(newer, false);
    let messages = newer.length === 0 ? history.messages : [...newer, ...history.messages];
    let { exhaustive } = history;
    let tokens = history.tokens + added.tokens;
    let chars = history.chars + added.chars;
    let cut = 0; // usable turns among the messages cut, the oldest
    const limit = this.limits.messagesPerConversation;
    if (messages.length >= limit) {
      for (let i = limit; i < messages.length; i++) {
        const message = messages[i] as HistoryMessage;
        tokens -= message.tokens;
        chars -= message.content.length;
        if (usable(message)) cut++;
      }
      messages = messages.slice(0, limit);
      exhaustive = true;
    }
    if (chars > this.limits.totalChars) return;
    // The oldest `cut` go, the added come last; unchanged arrays are shared, never copied.
    const moveOn = <T>(past: readonly T[], added: readonly T[]) =>
      cut === 0 && added.length === 0 ? past : [...past.slice(cut), ...added];
    const usableTurns = {
      turns: moveOn(history.usable.turns, added.usable.turns),
      tokens: moveOn(history.usable.tokens, added.usable.tokens),
    };
    this.entries.set(conversationId, { stamp, messages, exhaustive, tokens, chars, usable: usableTurns });
    this.chars += chars;
    for (const [id, entry] of this.entries) {
      if (this.chars <= this.limits.totalChars) break;
      this.entries.delete(id);
      this.chars -= entry.chars;
    }
  }

  forget(conversationId: string): void {
    const entry = this.entries.get(conversationId);
    if (entry === undefined) return;
    this.entries.delete(conversationId);
    this.chars -= entry.chars;
  }

  /** Conversations remembered (for tests and metrics). */
  get size(): number {
    return this.entries.size;
  }
}

function sameStamp(a: HistoryStamp, b: HistoryStamp): boolean {
  return a.messageCount === b.messageCount && a.lastMessageAt === b.lastMessageAt;
}
