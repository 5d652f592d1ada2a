/**
 * @module events
 * The typed event catalog. Each event names the topics it belongs to and carries ids and deltas, not whole
 * documents. Realtime delivery reads these from the `EventBus`.
 */
import type { ProjectRole } from './ports/records.ts';
import type { Message } from './types.ts';

export interface EventMap {
  'project:updated': { projectId: string; fields: string[] };
  'project:deleted': { projectId: string };
  'project:member_added': { projectId: string; userId: string; role: ProjectRole };
  'project:member_removed': { projectId: string; userId: string };
  'conversation:created': { projectId: string; conversationId: string };
  'conversation:updated': { projectId: string; conversationId: string; fields: string[] };
  'conversation:deleted': { projectId: string; conversationId: string };
  'message:created': { conversationId: string; messageId: string; role: 'user' | 'assistant' | 'system' };
  /** One piece of an assistant message being written; `index` counts deltas from 0 within the message. */
  'message:delta': { conversationId: string; messageId: string; index: number; chunk: string };
  /** The stored message, final (`complete` or `stopped`). */
  'message:completed': Message;
  'message:deleted': { conversationId: string; messageId: string };
  'generation:failed': {
    conversationId: string;
    messageId: string;
    error: { code: string; message: string };
  };
  'usage:recorded': {
    projectId: string;
    conversationId: string | null;
    model: string;
    inputTokens: number;
    outputTokens: number;
    costUsd: number | null;
  };
}

export type EventName = keyof EventMap;

export type ZekkaEvent = {
  [K in EventName]: {
    event: K;
    /** Topics such as `project:<id>` and `user:<id>`. */
    topics: string[];
    data: EventMap[K];
    /** Epoch milliseconds. */
    ts: number;
  };
}[EventName];

export const topics = {
  user: (id: string) => `user:${id}`,
  project: (id: string) => `project:${id}`,
  conversation: (id: string) => `conversation:${id}`,
  agent: (id: string) => `agent:${id}`,
} as const;
