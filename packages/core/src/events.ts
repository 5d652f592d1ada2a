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
  /**
   * INTERNAL — never delivered to clients. Asks the instance running a conversation's generation to stop it
   * (`POST …/stop` on another instance), on the internal topic `generation:<conversationId>`.
   * Note for the WebSocket layer (packages/server/src/realtime): forward only events whose name is in
   * `PUBLIC_EVENT_NAMES` (use `isPublicEvent`); drop unknown and internal ones, and never let a client
   * subscribe to a `generation:` topic.
   */
  'generation:stop': { conversationId: string };
  'usage:recorded': {
    projectId: string;
    conversationId: string | null;
    model: string;
    inputTokens: number;
    outputTokens: number;
    costUsd: number | null;
  };
  /** Someone is writing in the conversation; delivered to the conversation's other subscribers only. */
  typing: { conversationId: string; userId: string };
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

/**
 * Who may receive each event. A `Record` over every event name, so adding an event to the catalog does not
 * compile until someone decides whether clients see it.
 */
const AUDIENCE: Record<EventName, 'client' | 'internal'> = {
  'project:updated': 'client',
  'project:deleted': 'client',
  'project:member_added': 'client',
  'project:member_removed': 'client',
  'conversation:created': 'client',
  'conversation:updated': 'client',
  'conversation:deleted': 'client',
  'message:created': 'client',
  'message:delta': 'client',
  'message:completed': 'client',
  'message:deleted': 'client',
  'generation:failed': 'client',
  'usage:recorded': 'client',
  typing: 'client',
  // Stop requests between instances (see `generation:stop`).
  'generation:stop': 'internal',
};

const namesFor = (audience: 'client' | 'internal'): ReadonlySet<string> =>
  new Set(Object.entries(AUDIENCE).flatMap(([name, who]) => (who === audience ? [name] : [])));

/** Every event of the catalog a client may receive. */
export const PUBLIC_EVENT_NAMES = namesFor('client');
/** Events that stay between instances; never sent to a client. */
export const INTERNAL_EVENT_NAMES = namesFor('internal');

/** True for an event a client may receive (known to the catalog and not internal). */
export function isPublicEvent(name: string): boolean {
  return PUBLIC_EVENT_NAMES.has(name);
}

export const topics = {
  user: (id: string) => `user:${id}`,
  project: (id: string) => `project:${id}`,
  conversation: (id: string) => `conversation:${id}`,
  agent: (id: string) => `agent:${id}`,
  /** INTERNAL: stop requests for a conversation's running generation, between instances. */
  generation: (conversationId: string) => `generation:${conversationId}`,
} as const;
